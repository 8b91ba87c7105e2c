import { startSpace, stopSpace } from '../operations/spaceLifecycle';
import type { CliIo } from './cliEnvironment';
import { cliConfigPaths, cliConnection, cliLogger, defaultStateDir } from './cliEnvironment';
import { repinStartedSpace } from '../connect/prepareSpaceHost';
import { UsageError } from './cliErrors';
import { awsFlags, awsOptionsOf, hostOfAlias, parseCommandArgs } from './cliTarget';
import { ExitCode } from './exitCodes';
import { runInterruptible, wasInterrupted } from './interruptScope';

const spaceOptions = {
  ...awsFlags,
  'instance-type': { type: 'string' },
  'state-dir': { type: 'string' },
  'ssh-config': { type: 'string' },
} as const;

/**
 * `sm-ssh space start|stop <space>.<domain>.space.sagemaker [--instance-type T]`: Start Space and
 * Stop Space from the tree, with the same checks and waits (Ctrl-C stops waiting, not SageMaker).
 */
export async function runSpace(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('space', args, spaceOptions);
  const [action, alias, ...extra] = positionals;
  if ((action !== 'start' && action !== 'stop') || !alias || extra.length > 0) {
    throw new UsageError(
      'space takes start or stop and a space alias, e.g. sm-ssh space start dev.d-xxxx.space.sagemaker',
    );
  }
  const { target } = hostOfAlias(alias);
  if (target.kind !== 'studioSpace') {
    throw new UsageError(
      `space ${action} takes a space alias (<space>.<domain>.space.sagemaker), not ${alias}`,
    );
  }
  const options = { ...awsOptionsOf(values), sshConfig: values['ssh-config'] };
  const logger = cliLogger(options, io.env, (text) => io.stderr.write(text), 'info');
  const connection = await cliConnection(options, logger, io.env);
  const sagemaker = await connection.clients.sagemaker();
  const result = await runInterruptible(
    logger,
    (error) => connection.translate(error),
    (signal) => {
      const common = { surface: 'cli' as const, signal, onProgress: (line: string) => logger.info(line) };
      return action === 'start'
        ? startSpace(sagemaker, target, { ...common, instanceType: values['instance-type'] })
        : stopSpace(sagemaker, target, common);
    },
  );
  if (wasInterrupted(result)) return result.interrupted;
  if (action === 'start' && result.kind === 'done') {
    await repinStartedSpace(
      {
        connection,
        logger,
        stateDir: values['state-dir'] ?? defaultStateDir(io.env),
        knownHostsPath: cliConfigPaths(options, io.env).knownHosts,
      },
      target,
      result.state.arn,
      'cli',
    ).catch((error: unknown) => {
      throw connection.translate(error);
    });
  }
  const app = result.state.app;
  io.stdout.write(
    action === 'start'
      ? `${alias}\t${result.kind === 'already' ? 'already running' : 'running'}\t${app?.instanceType ?? ''}\n`
      : `${alias}\t${result.kind === 'already' ? 'not running' : 'stopped'}\n`,
  );
  return ExitCode.Ok;
}
