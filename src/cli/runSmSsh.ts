import { errorMessage } from '../util/errors';
import { CLIENT_VERSION } from '../ssm/version';
import type { CliIo } from './cliEnvironment';
import { ExitCode, exitCodeOfError } from './exitCodes';
import { UsageError } from './cliErrors';
import { isPluginContract, SESSION_USAGE } from './ssmSessionArguments';

type Command = (args: string[], io: CliIo) => Promise<number>;

export const USAGE = `Usage:
  sm-ssh list [suffix]                       SSH status of training, processing and transform jobs (last 30
                                             days), Studio apps, endpoints and notebook instances
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
  sm-ssh space start|stop <space-host> [--instance-type T]
                                             a Studio space with remote access: start it (RemoteAccess on,
                                             the app on T) or stop it, and wait
      <host>: <job>.training.sagemaker, algo-N.<job>.training.sagemaker,
              <app>.<space-or-user>.<domain>.studio.sagemaker (JupyterLab),
              <app>.<type>.<space-or-user>.<domain>.studio.sagemaker (codeeditor, kernelgateway, …),
              <space>.<domain>.space.sagemaker (a Studio space with remote access: sagemaker:StartSession),
              [algo-N.]<name>.processing|transform|inference|notebook.sagemaker
      Options: --profile P --region R --state-dir D --ssh-config F (or SM_SSH_CONFIG_FILE) -v
Session Manager without SageMaker (any SSM target):
${SESSION_USAGE}
Exit codes: 0 ok, 1 failure, 2 usage, 3 target not connected, 4 access denied, 5 session timed out,
            6 handshake failed, 7 connection lost, 8 session closed with an error, 9 invalid request;
            130/143 interrupted (Ctrl-C / SIGTERM). A piped shell exits with the shell's status.
Environment: SM_SSH_LOG_LEVEL=trace|debug|info|warn|error.
`;

const help: Command = async (_args, io) => {
  io.stdout.write(USAGE);
  return ExitCode.Ok;
};

const version: Command = async (_args, io) => {
  io.stdout.write(`${CLIENT_VERSION}\n`);
  return ExitCode.Ok;
};

/**
 * Every `sm-ssh` command: the SageMaker ones (on the same core as the extension) and plain Session
 * Manager. Each is loaded when it runs, so a ProxyCommand (start-proxy, started for every ssh
 * connection) never loads the SageMaker, S3 or SSH code that other commands need.
 */
const commands: Readonly<Record<string, () => Promise<Command>>> = {
  list: async () => (await import('./listCommand')).runList,
  connect: async () => (await import('./connectCommand')).runConnect,
  shell: async () => (await import('./shellCommand')).runShell,
  'start-proxy': async () => (await import('./startProxyCommand')).runStartProxy,
  'stop-waiting': async () => (await import('./stopWaitingCommand')).runStopWaiting,
  config: async () => (await import('./configCommand')).runConfig,
  payload: async () => (await import('./payloadCommand')).runPayload,
  logs: async () => (await import('./logsCommand')).runLogs,
  forward: async () => (await import('./forwardCommand')).runForward,
  cp: async () => (await import('./cpCommand')).runCp,
  space: async () => (await import('./spaceCommand')).runSpace,
  'ssm-proxy': async () => (await import('./ssmSessionCommands')).runSsmProxy,
  'ssm-forward': async () => (await import('./ssmSessionCommands')).runSsmForward,
  help: async () => help,
  '--help': async () => help,
  '-h': async () => help,
  version: async () => version,
  '--version': async () => version,
};

async function commandOf(args: readonly string[]): Promise<{ run: Command; args: string[] }> {
  const [name, ...rest] = args;
  const named = name !== undefined && Object.hasOwn(commands, name);
  if (!named && isPluginContract(args)) {
    const { runPluginContract } = await import('./ssmSessionCommands');
    return { run: runPluginContract, args: [...args] };
  }
  if (name === undefined) return { run: help, args: [] };
  if (!named) throw new UsageError(`Unknown command "${name}".`);
  return { run: await commands[name]!(), args: rest };
}

/**
 * Entry of `sm-ssh`: finds the command (or session-manager-plugin's 6-argument contract), runs it
 * and returns its exit status; every error becomes a message on stderr and its exit status.
 */
export async function runSmSsh(args: string[], io: CliIo): Promise<number> {
  try {
    const command = await commandOf(args);
    return await command.run(command.args, io);
  } catch (error) {
    io.stderr.write(`sm-ssh: ${errorMessage(error)}\n`);
    return exitCodeOfError(error);
  }
}
