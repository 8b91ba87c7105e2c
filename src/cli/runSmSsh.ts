import type { CliIo } from '../ssm/cli/runCli';
import { runCli } from '../ssm/cli/runCli';
import { USAGE as SESSION_USAGE } from '../ssm/cli/cliArguments';
import { exitCodeOfError } from '../ssm/cli/sessionExit';
import { errorMessage } from '../util/errors';
import { runConfig } from './configCommand';
import { runConnect } from './connectCommand';
import { runCp } from './cpCommand';
import { runForward } from './forwardCommand';
import { runList } from './listCommand';
import { runLogs } from './logsCommand';
import { runPayload } from './payloadCommand';
import { runShell } from './shellCommand';
import { runStartProxy } from './startProxyCommand';
import { runStopWaiting } from './stopWaitingCommand';

type Command = (args: string[], io: CliIo) => Promise<number>;

/** The upstream `sm-ssh` commands, on the same core as the extension. */
const sageMakerCommands: Readonly<Record<string, Command>> = {
  list: runList,
  connect: runConnect,
  shell: runShell,
  'start-proxy': runStartProxy,
  'stop-waiting': runStopWaiting,
  config: runConfig,
  payload: runPayload,
  logs: runLogs,
  forward: runForward,
  cp: runCp,
};

export const USAGE = `Usage:
  sm-ssh list [suffix]                       SSH status of training jobs (last 30 days) and Studio apps
      (list, connect, config, start-proxy and stop-waiting take --profile P --region R)
  sm-ssh connect <host> [ssh args…]          wait for the container, install a key, write the ssh host, run ssh
  sm-ssh shell <host> | --target <ssm-target> a shell in the container over SSM, no ssh; with stdin
                                             piped, runs it as a script and exits with the shell's status
  sm-ssh start-proxy <host>                  the ssh ProxyCommand for a host (stdin/stdout tunnel)
  sm-ssh stop-waiting <host>                 release a training job held in sm-wait (no SSH needed): every
                                             online node of a job, or the node named; one line per node,
                                             exit status 1 if any node failed
  sm-ssh config [<host>]                     print our ssh config, or write the host without connecting
  sm-ssh payload <dir> [--overwrite]         copy the container-side helper into a training source folder
  sm-ssh logs <host-or-job> [-f]             the job's CloudWatch log lines (time, node); -f follows until it ends
  sm-ssh forward <host> <remote-port> [local-port] [-L [local:]remote]…
                                             forward 127.0.0.1 ports to ports in the container (no ssh) until Ctrl-C
  sm-ssh cp [-P N] [-r] <host>:<path> <local>   copy from the container over up to N SSM sessions (default 8),
  sm-ssh cp [-P N] [-r] <local> <host>:<path>   or to it; SHA-256 verified, resumable (run it again)
      <host>: <job>.training.sagemaker, algo-N.<job>.training.sagemaker,
              <app>.<space-or-user>.<domain>.studio.sagemaker (JupyterLab),
              <app>.<type>.<space-or-user>.<domain>.studio.sagemaker (codeeditor, kernelgateway, …)
      Options: --profile P --region R --state-dir D --ssh-config F (or SM_SSH_CONFIG_FILE) -v
${SESSION_USAGE}`;

/**
 * Entry of `sm-ssh`: the SageMaker commands above, and the Session Manager commands (ssm-proxy,
 * ssm-forward, the session-manager-plugin argv contract). Returns the exit status.
 */
export async function runSmSsh(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  const handler = command ? sageMakerCommands[command] : undefined;
  if (!handler) {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.stdout.write(USAGE);
      return 0;
    }
    return runCli(args, io);
  }
  try {
    return await handler(rest, io);
  } catch (error) {
    io.stderr.write(`sm-ssh: ${errorMessage(error)}\n`);
    return exitCodeOfError(error);
  }
}
