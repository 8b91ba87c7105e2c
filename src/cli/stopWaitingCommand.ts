import { stopWaiting } from '../operations/stopWaiting';
import type { CliIo } from './cliEnvironment';
import { cliConnection, cliLogger } from './cliEnvironment';
import { parseHostCommand } from './cliTarget';

/**
 * `sm-ssh stop-waiting <alias>`: creates /tmp/sm-wait-stopped through SSM Run Command (what
 * `sm-wait stop` does) on every online node of a job, or on the node the alias names. No SSH.
 * One line per node: `algo-1: <output>` on stdout, `algo-2: failed: <why>` on stderr; exit
 * status 1 when any node failed.
 */
export async function runStopWaiting(args: string[], io: CliIo): Promise<number> {
  const options = parseHostCommand('stop-waiting', args);
  const logger = cliLogger(options, io.env, (text) => io.stderr.write(text));
  const connection = await cliConnection(options, logger, io.env);
  let results;
  try {
    results = (await stopWaiting(connection, { target: options.host.target, logger })) ?? [];
  } catch (error) {
    throw connection.translate(error);
  }
  for (const result of results) {
    if (result.ok) {
      io.stdout.write(`${result.node}: ${result.message}\n`);
    } else {
      io.stderr.write(`${result.node}: failed: ${result.message}\n`);
    }
  }
  return results.every((r) => r.ok) ? 0 : 1;
}
