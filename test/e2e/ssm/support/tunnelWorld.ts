// Stays for scripts/bench-tunnel.mjs alone: its unpaced rows need the fake agent, because AWS's agent always paces.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Emulator } from '../../../emulator';
import { startEmulator } from '../../../emulator';
import type { AgentBehaviour } from '../../../emulator/datachannel/agentBehaviour';
import type {
  SessionRegistry,
  StartSessionInput,
  TargetResolver,
} from '../../../emulator/datachannel/sessionRegistry';
import { installSsmSessions } from '../../../emulator/datachannel/ssmSessionOperations';
import type { IdentitySpec } from '../../../emulator/scenario/types';
import type { SshdFixture } from './sshdFixture';
import { startSshd } from './sshdFixture';
import { proxiedSshArgs } from './tunnelClients';
import { ScenarioBuilder } from '../../../builders/scenarioBuilder';

/** The compiled CLI; SM_SSH_E2E_CLI can name another build (the benchmark runs dist/sm-ssh.js). */
export const SM_SSH_CLI = process.env.SM_SSH_E2E_CLI ?? resolve(__dirname, '../../../../src/cli/smSsh.js');
/** The runtime for the CLI; SM_SSH_E2E_NODE can point at another (e.g. a profiling wrapper). */
export const CLI_RUNTIME = process.env.SM_SSH_E2E_NODE ?? process.execPath;

/** Online managed node whose port 22 is the test sshd. */
export const SSH_TARGET = 'mi-0123456789abcdef0';

export interface TunnelWorldOptions {
  behaviour?: Partial<AgentBehaviour> | ((input: StartSessionInput) => Partial<AgentBehaviour>);
}

export interface TunnelWorld {
  readonly sshd: SshdFixture;
  readonly emulator: Emulator;
  readonly sessions: SessionRegistry;
  /** Environment for sm-ssh, ssh and scp: emulator endpoint and credentials, nothing from the host's AWS setup. */
  readonly cliEnv: NodeJS.ProcessEnv;
  /** ssh arguments for `target` through `sm-ssh ssm-proxy` (plus `proxyExtraArgs`), host key pinned. */
  sshArgs(target: string, proxyExtraArgs?: string[]): string[];
  close(): Promise<void>;
}

/** The e2e user: its keys sign every call the CLI and the tunnel clients make. */
export const E2E_DEVELOPER = {
  name: 'developer',
  accessKeyId: 'AKIAE2EDEVELOPER0000',
  secretAccessKey: 'e2e-developer-secret-access-key',
  arn: 'arn:aws:iam::123456789012:user/developer',
  userId: 'AIDAE2EDEVELOPER0000',
} as const satisfies IdentitySpec;

const SCENARIO = new ScenarioBuilder()
  .account('123456789012')
  .identities(E2E_DEVELOPER)
  .instance(SSH_TARGET, 'Online')
  .build({ description: 'sm-ssh benchmark' });

/**
 * Real sshd + the AWS emulator (StartSession/ResumeSession/TerminateSession and the fake data
 * channel) + the sm-ssh CLI as ssh's ProxyCommand, calling StartSession itself. Every e2e test runs
 * AWS's agent (agentWorld.ts); only the benchmark uses this world, for the agent's pacing and read
 * size as knobs (our client's own ceiling, which the real agent's pacing hides).
 */
export async function startTunnelWorld(options: TunnelWorldOptions = {}): Promise<TunnelWorld> {
  const sshd = await startSshd();
  const resolveTarget: TargetResolver = (target, port) =>
    target === SSH_TARGET && port === 22 ? { host: '127.0.0.1', port: sshd.port } : undefined;
  const emulator = await startEmulator({ scenario: SCENARIO });
  const sessions = installSsmSessions(emulator, { resolveTarget, behaviour: options.behaviour });
  const awsDir = await mkdtemp(join(tmpdir(), 'sm-ssh-aws-'));
  await writeFile(join(awsDir, 'config'), '');
  await writeFile(join(awsDir, 'credentials'), '');
  const envAs = (identity: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_CONFIG_FILE: join(awsDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(awsDir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...emulator.env(identity),
  });
  const cliEnv = envAs(E2E_DEVELOPER.name);
  const knownHostsPath = await sshd.knownHosts([SSH_TARGET]);
  const sshArgs = (target: string, proxyExtraArgs: string[] = []): string[] => [
    ...proxiedSshArgs(
      sshd.clientKeyPath,
      knownHostsPath,
      [CLI_RUNTIME, SM_SSH_CLI, 'ssm-proxy', '--target', '%h', '--port', '%p', ...proxyExtraArgs],
      sshd.user,
    ),
    target,
  ];
  return {
    sshd,
    emulator,
    sessions,
    cliEnv,
    sshArgs,
    close: async () => {
      sessions.dispose();
      await emulator.close();
      await sshd.stop();
      await rm(awsDir, { recursive: true, force: true });
    },
  };
}
