import { constants } from 'node:fs';
import { access, chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pinnedSshArgs } from '../../../builders/throwawaySsh';
import { peerBinary } from '../../../emulator/peers';
import { shellWord } from '../../../../src/util/shellQuote';

/**
 * The Session Manager clients the tunnel tests run with: ours, AWS's session-manager-plugin (through
 * its 6-argument contract, started by `sm-ssh --use-plugin`), and Debian's `aws ssm start-session`
 * running either AWS's plugin or our CLI as `session-manager-plugin`. Same tests, same bytes.
 */
export type TunnelClientName = 'sm-ssh' | 'sm-ssh --use-plugin' | 'aws + plugin' | 'aws + sm-ssh';

export const TUNNEL_CLIENTS: readonly TunnelClientName[] = [
  'sm-ssh',
  'sm-ssh --use-plugin',
  'aws + plugin',
  'aws + sm-ssh',
];

/** Whether AWS's session-manager-plugin (not our client) speaks the data channel for this client. */
export function runsAwsPlugin(name: TunnelClientName): boolean {
  return name === 'sm-ssh --use-plugin' || name === 'aws + plugin';
}

/** What AWS's plugin prints on stdout before the first tunnel byte. */
function pluginPreamble(sessionId: string): string {
  return `\nStarting session with SessionId: ${sessionId}\n`;
}

/** Where Debian's awscli puts the AWS CLI (.ci/run installs it). */
const DEBIAN_AWS_CLI = '/usr/bin/aws';

export interface ClientLaunch {
  /** Argument vector of the ssh ProxyCommand / forwarder for a target and remote port. */
  proxy(target: string, port: string, extraArgs?: readonly string[]): string[];
  /** A port-forwarding process that announces `Port N opened for sessionId S.` on stdout or stderr. */
  forward(target: string, remotePort: number): string[];
  /** The environment for ssh, scp and the client (PATH holds only what the client needs). */
  readonly env: NodeJS.ProcessEnv;
  /** What the client prints on stdout before the first tunnel byte (AWS's plugin announces the session). */
  stdoutPreamble(sessionId: string): string;
}

export interface ClientContext {
  readonly name: TunnelClientName;
  /** The CLI runtime and script (our client). */
  readonly runtime: string;
  readonly cli: string;
  readonly baseEnv: NodeJS.ProcessEnv;
  /** A private directory for the client's bin folder and HOME. */
  readonly dir: string;
}

/** A bin folder with exactly the programs the client runs (found by name through PATH). */
async function binFolder(dir: string, programs: Record<string, string>): Promise<string> {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  for (const [name, target] of Object.entries(programs)) await symlink(target, join(bin, name));
  return bin;
}

/** `session-manager-plugin` that is our CLI: the AWS CLI runs it with the plugin's argument contract. */
async function ourCliAsPlugin(context: ClientContext): Promise<string> {
  const script = join(context.dir, 'sm-ssh-as-plugin');
  await writeFile(
    script,
    `#!/bin/sh\nexec ${[context.runtime, context.cli].map(shellWord).join(' ')} "$@"\n`,
  );
  await chmod(script, 0o755);
  return script;
}

function awsStartSession(endpoint: string, region: string, document: string, parameters: string): string[] {
  return [
    'aws',
    'ssm',
    'start-session',
    '--endpoint-url',
    endpoint,
    '--region',
    region,
    '--document-name',
    document,
    '--parameters',
    parameters,
  ];
}

/** Debian's AWS CLI, or an error that says how to install it (a missing one fails ssh obscurely). */
async function debianAwsCli(): Promise<string> {
  try {
    await access(DEBIAN_AWS_CLI, constants.X_OK);
  } catch {
    throw new Error(
      `The 'aws + …' tunnel clients need Debian's AWS CLI at ${DEBIAN_AWS_CLI}: ` +
        'install it with `sudo apt-get install -y awscli` (.ci/run does).',
    );
  }
  return DEBIAN_AWS_CLI;
}

/** Prepares a client's programs and environment in `context.dir`. */
export async function launchClient(context: ClientContext): Promise<ClientLaunch> {
  const { name, runtime, cli, baseEnv } = context;
  const awsPlugin = runsAwsPlugin(name);
  const stdoutPreamble = awsPlugin ? pluginPreamble : (): string => '';
  const ours = (command: string, args: readonly string[]): string[] => [runtime, cli, command, ...args];
  if (name === 'sm-ssh' || name === 'sm-ssh --use-plugin') {
    const plugin = awsPlugin
      ? ['--use-plugin', '--plugin-path', await peerBinary('session-manager-plugin')]
      : [];
    return {
      proxy: (target, port, extraArgs = []) =>
        ours('ssm-proxy', ['--target', target, '--port', port, ...plugin, ...extraArgs]),
      forward: (target, remotePort) =>
        ours('ssm-forward', [
          '--target',
          target,
          '--remote-port',
          String(remotePort),
          '--local-port',
          '0',
          ...plugin,
        ]),
      env: baseEnv,
      stdoutPreamble,
    };
  }
  const plugin = awsPlugin ? await peerBinary('session-manager-plugin') : await ourCliAsPlugin(context);
  const bin = await binFolder(context.dir, {
    aws: await debianAwsCli(),
    'session-manager-plugin': plugin,
    ssh: '/usr/bin/ssh',
    scp: '/usr/bin/scp',
  });
  const home = join(context.dir, 'home');
  await mkdir(home, { recursive: true });
  const endpoint = baseEnv.AWS_ENDPOINT_URL ?? '';
  const region = baseEnv.AWS_REGION ?? 'us-east-1';
  return {
    // Debian's AWS CLI (2.9) predates AWS_ENDPOINT_URL: the endpoint goes on the command line.
    proxy: (target, port) => [
      ...awsStartSession(endpoint, region, 'AWS-StartSSHSession', `portNumber=${port}`),
      '--target',
      target,
    ],
    forward: (target, remotePort) => [
      ...awsStartSession(
        endpoint,
        region,
        'AWS-StartPortForwardingSession',
        `portNumber=${remotePort},localPortNumber=0`,
      ),
      '--target',
      target,
    ],
    env: { ...baseEnv, PATH: bin, HOME: home },
    stdoutPreamble,
  };
}

/** The ProxyCommand line for ssh (`%h` and `%p` expanded by ssh). */
function proxyCommandLine(argv: readonly string[]): string {
  return argv.map(shellWord).join(' ');
}

/**
 * ssh options for `user` through the ProxyCommand `proxy` (an argv; ssh expands `%h` and `%p`) to a
 * host pinned in `knownHostsFile`; the caller appends the host.
 */
export function proxiedSshArgs(
  identityFile: string,
  knownHostsFile: string,
  proxy: readonly string[],
  user: string,
): string[] {
  return [
    ...pinnedSshArgs(identityFile, knownHostsFile),
    '-o',
    'LogLevel=ERROR',
    '-o',
    `ProxyCommand=${proxyCommandLine(proxy)}`,
    '-o',
    `User=${user}`,
  ];
}
