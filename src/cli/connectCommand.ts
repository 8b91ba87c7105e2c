import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { finished } from 'node:stream/promises';
import { prepareSshHost } from '../connect/prepareSshHost';
import { prepareRemoteDebugHost } from '../connect/remoteDebugHost';
import type { PreparedHost } from '../connect/prepareSshHost';
import { prepareSpaceHost } from '../connect/prepareSpaceHost';
import type { CliIo } from './cliEnvironment';
import { cliConfigPaths, cliConnection, cliLogger, defaultStateDir } from './cliEnvironment';
import { cliProxyInstall } from '../proxy/cliProxyInstall';
import { parseHostCommand } from './cliTarget';
import { runInterruptible, wasInterrupted } from './interruptScope';

export interface SshExit {
  readonly code: number;
  /** ssh said "Permission denied (publickey…)": sshd refused our key. */
  readonly keyRefused: boolean;
}

/** What `connect` does after preparing the host: run ssh (overridable for tests). */
export type SshRunner = (sshArgs: readonly string[], io: CliIo) => Promise<SshExit>;

const keyRefusedPattern = /Permission denied \(publickey/;

/**
 * Runs ssh on the terminal; its stderr passes through us so a refused key can be recognised. Only
 * exit status 255 waits for the end of stderr (ssh's ProxyCommand holds it a moment longer): an
 * `ssh -f` that went to the background keeps stderr open and must not hold `connect` up.
 */
export const interactiveSsh: SshRunner = (sshArgs, io) =>
  new Promise((resolve, reject) => {
    const child = spawn('ssh', [...sshArgs], { stdio: ['inherit', 'inherit', 'pipe'] });
    let tail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      io.stderr.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4096);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const status = code ?? (signal ? 128 : 1);
      if (status !== 255) {
        (child.stderr as Partial<Socket>).unref?.();
        resolve({ code: status, keyRefused: false });
        return;
      }
      const settle = (): void => resolve({ code: status, keyRefused: keyRefusedPattern.test(tail) });
      finished(child.stderr).then(settle, settle);
    });
  });

/**
 * `sm-ssh connect <alias> [ssh args…]`: waits for the container, installs the key, writes the ssh
 * host (and the stable alias) into our config, then runs `ssh <alias> …`. Afterwards plain
 * `ssh <alias>` works from any terminal.
 */
export async function runConnect(
  args: string[],
  io: CliIo,
  runSsh: SshRunner = interactiveSsh,
): Promise<number> {
  const options = parseHostCommand('connect', args);
  const logger = cliLogger(options, io.env, (text) => io.stderr.write(text), 'info');
  const stateDir = options.stateDir ?? defaultStateDir(io.env);
  const configPaths = cliConfigPaths(options, io.env);
  const connection = await cliConnection(options, logger, io.env);
  const { target } = options.host;
  if (target.kind === 'remoteDebugNode') {
    const prepared = await runInterruptible(
      logger,
      (error) => connection.translate(error),
      (signal) =>
        prepareRemoteDebugHost(
          { connection, install: cliProxyInstall(stateDir), configPaths, logger },
          target,
          signal.abortSignal,
        ),
    );
    if (wasInterrupted(prepared)) return prepared.interrupted;
    logger.info(
      `ssh ${prepared.alias} is ready (${prepared.ready.ssmTarget}, port ${prepared.ready.sshd.port}).`,
    );
    return (
      await sshIgnoringInterrupts(runSsh, [...configPaths.sshArgs, prepared.alias, ...options.rest], io)
    ).code;
  }
  if (target.kind === 'studioSpace') {
    const space = await runInterruptible(
      logger,
      (error) => connection.translate(error),
      (signal) =>
        prepareSpaceHost(
          { connection, install: cliProxyInstall(stateDir), configPaths, logger },
          { target, surface: 'cli', signal, onProgress: (message) => logger.info(message) },
        ),
    );
    if (wasInterrupted(space)) return space.interrupted;
    logger.info(`ssh ${space.alias} is ready (${space.spaceArn}).`);
    return (await sshIgnoringInterrupts(runSsh, [...configPaths.sshArgs, space.alias, ...options.rest], io))
      .code;
  }
  const prepare = (forcePush: boolean): Promise<PreparedHost | { readonly interrupted: number }> =>
    runInterruptible(
      logger,
      (error) => connection.translate(error),
      (signal) =>
        prepareSshHost(
          { connection, install: cliProxyInstall(stateDir), configPaths, logger },
          {
            target: options.host.target,
            waitSeconds: 600,
            signal,
            onWaiting: (message) => logger.info(message),
            forcePush,
          },
        ),
    );
  const prepared = await prepare(false);
  if (wasInterrupted(prepared)) return prepared.interrupted;
  logger.info(`ssh ${prepared.alias} is ready (${prepared.ready.instanceId}).`);
  const sshArgs = [...configPaths.sshArgs, prepared.alias, ...options.rest];
  const first = await sshIgnoringInterrupts(runSsh, sshArgs, io);
  if (!first.keyRefused) return first.code;
  // The container lost our key (or someone removed it): install it again, once.
  logger.info(`sshd in ${prepared.ready.instanceId} refused our key; installing it again and retrying once.`);
  const again = await prepare(true);
  if (wasInterrupted(again)) return again.interrupted;
  const second = await sshIgnoringInterrupts(runSsh, sshArgs, io);
  if (second.keyRefused) {
    logger.warn(
      `sshd in ${prepared.ready.instanceId} refused the key it was just given: its sshd_config may not read ` +
        '/etc/ssh/authorized_keys (AuthorizedKeysFile). Run "sm-setup-ssh configure" in the container (or check ' +
        "the job's log for sm-setup-ssh errors) and connect again.",
    );
  }
  return second.code;
}

/** ssh gets the terminal's Ctrl-C itself; we wait for it and pass on its exit status. */
async function sshIgnoringInterrupts(runSsh: SshRunner, sshArgs: string[], io: CliIo): Promise<SshExit> {
  const ignore = (): void => undefined;
  process.on('SIGINT', ignore);
  try {
    return await runSsh(sshArgs, io);
  } finally {
    process.off('SIGINT', ignore);
  }
}
