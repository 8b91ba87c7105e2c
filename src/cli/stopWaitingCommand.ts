import { findSshInstances } from '../instances/findSshInstances';
import { readinessOf, sshNodesFor } from '../instances/matchSshNodes';
import { isOnline } from '../instances/sshInstance';
import { targetResourceName } from '../targets/sshTarget';
import { stopWaitingScript } from '../connect/remoteScripts';
import { runShellCommand } from '../connect/runShellCommand';
import { checkJobRunning } from '../connect/resolveTarget';
import type { CliIo } from '../ssm/cli/runCli';
import { UserFacingError } from '../util/errors';
import { cliConnection, cliLogger } from './cliEnvironment';
import { parseHostCommand } from './cliTarget';

class NothingToStopError extends UserFacingError {
  readonly code = 'NothingToStop';
  constructor(alias: string) {
    super(
      `No online SSH node of ${alias} was found, so nothing could be told to stop waiting. Run ` +
        `"sm-ssh list ${alias}" to see each node's SSM ping status: a node comes Online once sm-setup-ssh ` +
        'has started in its container, then run stop-waiting again.',
    );
  }
}

/**
 * `sm-ssh stop-waiting <alias>`: creates /tmp/sm-wait-stopped through SSM Run Command (what
 * `sm-wait stop` does) on every online node of a job, or on the node the alias names. No SSH.
 */
export async function runStopWaiting(args: string[], io: CliIo): Promise<number> {
  const options = parseHostCommand('stop-waiting', args);
  const logger = cliLogger(options, io.env, (text) => io.stderr.write(text));
  const connection = await cliConnection(options, logger, io.env);
  const { alias, target, node } = options.host;
  try {
    const ssm = await connection.clients.ssm();
    const identity = await connection.identity();
    const instances = await findSshInstances(ssm, { resourceNames: [targetResourceName(target)] });
    const nodes = readinessOf(
      sshNodesFor(target, instances, identity.userId, (message) => logger.warn(message)),
    )
      .nodes.filter((n) => isOnline(n.instance))
      .filter((n) => !node || n.name === node);
    if (nodes.length === 0) {
      if (target.kind === 'training-job') {
        // An unknown or finished job is the likelier mistake (a typo, another region): say that.
        await checkJobRunning(connection, target.jobName);
      }
      throw new NothingToStopError(alias);
    }
    await Promise.all(
      nodes.map(async (n) => {
        const out = await runShellCommand(ssm, {
          instanceId: n.instance.instanceId,
          purpose: 'Stop Waiting',
          lines: stopWaitingScript(),
          timeoutSeconds: 30,
        });
        io.stdout.write(`${n.name}: ${out.stdout.trim()}\n`);
      }),
    );
    return 0;
  } catch (error) {
    throw connection.translate(error);
  }
}
