import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Emulator, SimulatedContainer } from '../../../emulator';
import { startEmulator } from '../../../emulator';
import type { RelaySession } from '../../../emulator/datachannel/relaySession';
import type { SessionRegistry } from '../../../emulator/datachannel/sessionRegistry';
import type { ProcessResult, RunOptions } from './sshRunner';
import { runProcess } from './sshRunner';
import type { ClientLaunch, TunnelClientName } from './tunnelClients';
import { launchClient, proxiedSshArgs } from './tunnelClients';
import { CLI_RUNTIME, E2E_DEVELOPER, SM_SSH_CLI } from './tunnelWorld';
import { ScenarioBuilder } from '../../../builders/scenarioBuilder';

const run = promisify(execFile);
const ACCOUNT = '123456789012';

/** A registered managed node whose agent is not Online (no container: it never reports). */
export const OFFLINE_TARGET = 'mi-0fedcba9876543210';
/** A managed node whose heartbeats say Online but whose agent holds no control channel (no container). */
export const NO_CHANNEL_TARGET = 'mi-0aaaaaaaaaaaaaaaa';

const SCENARIO = new ScenarioBuilder()
  .account(ACCOUNT)
  .identities(
    E2E_DEVELOPER,
    {
      name: 'execution-role',
      accessKeyId: 'ASIAE2EEXECUTIONROLE',
      secretAccessKey: 'e2e-execution-role-secret',
      sessionToken: 'e2e-execution-role-session-token',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SageMakerExecutionRole/SageMaker`,
      userId: 'AROAE2EEXECUTIONROLE:SageMaker',
    },
    {
      name: 'no-sessions',
      accessKeyId: 'AKIAE2ENOSESSIONS000',
      secretAccessKey: 'e2e-no-sessions-secret-access-key',
      arn: `arn:aws:iam::${ACCOUNT}:user/no-sessions`,
      userId: 'AIDAE2ENOSESSIONS000',
      deny: ['ssm:StartSession'],
    },
  )
  .instance(OFFLINE_TARGET, 'ConnectionLost')
  .instance(NO_CHANNEL_TARGET, 'Online')
  .build({ description: "sm-ssh e2e against AWS's agent" });

/**
 * One simulated container running AWS's amazon-ssm-agent (registered with an activation, Online over
 * MGS) and its own sshd; every session goes client ↔ the emulator's relay ↔ AWS's ssm-session-worker.
 */
export interface AgentWorld {
  readonly emulator: Emulator;
  readonly container: SimulatedContainer;
  /** The container's managed instance id: the ssh host name and the session target. */
  readonly target: string;
  readonly sessions: SessionRegistry;
  readonly client: ClientLaunch;
  /** The newest relayed session. */
  lastRelay(): RelaySession;
  /** ssh's options through the client (its ProxyCommand gets `proxyExtraArgs`); the caller appends the host. */
  sshArgs(proxyExtraArgs?: readonly string[]): string[];
  /** The client key the container's sshd accepts, and the host port that reaches its sshd (for direct ssh). */
  readonly keyPath: string;
  readonly sshdPort: number;
  ssh(remoteCommand: string, options?: RunOptions): Promise<ProcessResult>;
  scp(args: string[], options?: RunOptions): Promise<ProcessResult>;
  /** The sm-ssh CLI itself (`sm-ssh <args>`), as the developer unless `options.env` says otherwise. */
  cli(args: string[], options?: RunOptions): Promise<ProcessResult>;
  /** The CLI's environment with another scenario identity's keys, and no log level (stderr: errors only). */
  envAs(identity: string): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startAgentWorld(client: TunnelClientName): Promise<AgentWorld> {
  const emulator = await startEmulator({ scenario: SCENARIO });
  const dir = await mkdtemp(join(tmpdir(), 'sm-ssh-agent-e2e-'));
  try {
    const node = await emulator.containers.startSshNode({
      id: 'e2e-tunnel',
      hostname: 'algo-1',
      agent: 'aws',
      tags: {
        SSHOwner: E2E_DEVELOPER.userId,
        SSHCreator: 'AROAE2EEXECUTIONROLE:SageMaker',
        SSHTimestamp: String(Math.floor(Date.now() / 1000)),
        SSHResourceName: 'e2e-tunnel',
        SSHResourceArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/e2e-tunnel`,
        SSHHost: 'algo-1',
      },
    });
    const { container, instanceId } = node;
    const sessions = await emulator.containers.installSessions();
    const keyPath = join(dir, 'id');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
    await container.writeFile('/etc/ssh/authorized_keys', await readFile(`${keyPath}.pub`));
    const hostKey = (await container.readFile('/etc/ssh/ssh_host_ed25519_key.pub')).split(' ').slice(0, 2);
    const knownHosts = join(dir, 'known_hosts');
    await writeFile(knownHosts, `${instanceId} ${hostKey.join(' ')}\n`);
    await mkdir(join(dir, 'client'));
    await writeFile(join(dir, 'aws-config'), '');
    const baseEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-config'),
      AWS_EC2_METADATA_DISABLED: 'true',
      // Our client says on stderr how a session ended (closed by the service, resumed…); ssh shows it in
      // a failed test's message instead of a bare exit 255.
      SM_SSH_LOG_LEVEL: 'info',
      ...emulator.env(E2E_DEVELOPER.name),
    };
    const launch = await launchClient({
      name: client,
      runtime: CLI_RUNTIME,
      cli: SM_SSH_CLI,
      baseEnv,
      dir: join(dir, 'client'),
    });
    const envAs = (identity: string): NodeJS.ProcessEnv => {
      const env: NodeJS.ProcessEnv = { ...baseEnv, ...emulator.env(identity) };
      delete env.SM_SSH_LOG_LEVEL;
      return env;
    };
    const sshOptions = proxiedSshArgs(keyPath, knownHosts, launch.proxy('%h', '%p'), 'root');
    return {
      emulator,
      container,
      target: instanceId,
      sessions,
      client: launch,
      lastRelay: () => sessions.relays().at(-1)!,
      sshArgs: (proxyExtraArgs = []) =>
        proxiedSshArgs(keyPath, knownHosts, launch.proxy('%h', '%p', proxyExtraArgs), 'root'),
      keyPath,
      sshdPort: container.sshdPort,
      ssh: (remoteCommand, options = {}) =>
        runProcess('ssh', [...sshOptions, instanceId, remoteCommand], { env: launch.env, ...options }),
      scp: (args, options = {}) =>
        runProcess('scp', ['-q', ...sshOptions, ...args], { env: launch.env, ...options }),
      cli: (args, options = {}) =>
        runProcess(CLI_RUNTIME, [SM_SSH_CLI, ...args], { env: envAs(E2E_DEVELOPER.name), ...options }),
      envAs,
      close: async () => {
        await emulator.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
