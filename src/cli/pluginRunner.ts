import { spawn } from 'node:child_process';
import type { Logger } from '../util/logger';
import type { StartSessionRequest, StartSessionResponse } from '../ssm/ssmApi';
import { PluginNotInstalledError } from './cliErrors';

export interface PluginLaunch {
  command: string;
  response: StartSessionResponse;
  request: StartSessionRequest;
  region: string;
  profile?: string;
  ssmEndpoint: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  /**
   * Ends the session on the service: when the plugin binary is missing (as the AWS CLI does), and when the
   * plugin has exited (its own TerminateSession flag is not always delivered before it exits, and a session
   * left open lingers on the agent until it times out).
   */
  terminate: () => Promise<void>;
}

const RESPONSE_VARIABLE = 'AWS_SSM_START_SESSION_RESPONSE';
const IGNORED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT', 'SIGTSTP'];

/**
 * Runs AWS's session-manager-plugin for an already started session, exactly as the AWS CLI does
 * (response in the environment, 6 arguments, our stdio inherited). Resolves with its exit status.
 */
export function runSessionManagerPlugin(launch: PluginLaunch): Promise<number> {
  const ignore = (): void => undefined;
  for (const signal of IGNORED_SIGNALS) process.on(signal, ignore);
  const restoreSignals = (): void => {
    for (const signal of IGNORED_SIGNALS) process.off(signal, ignore);
  };
  return new Promise((resolve, reject) => {
    const child = spawn(
      launch.command,
      [
        RESPONSE_VARIABLE,
        launch.region,
        'StartSession',
        launch.profile ?? '',
        JSON.stringify(launch.request),
        launch.ssmEndpoint,
      ],
      { stdio: 'inherit', env: { ...launch.env, [RESPONSE_VARIABLE]: JSON.stringify(launch.response) } },
    );
    child.once('error', (error: NodeJS.ErrnoException) => {
      restoreSignals();
      if (error.code !== 'ENOENT') {
        reject(error);
        return;
      }
      void terminateQuietly(launch).finally(() => reject(new PluginNotInstalledError(launch.command)));
    });
    child.once('exit', (code, signal) => {
      restoreSignals();
      void terminateQuietly(launch).finally(() => resolve(code ?? (signal ? 128 : 1)));
    });
  });
}

/** TerminateSession, logging (not throwing) a failure: the plugin's exit status is what the caller reports. */
async function terminateQuietly(launch: PluginLaunch): Promise<void> {
  try {
    await launch.terminate();
  } catch (error) {
    launch.log.warn(`TerminateSession failed: ${(error as Error).message}`);
  }
}
