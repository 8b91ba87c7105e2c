import type { ChildProcess } from 'node:child_process';
import type { Emulator } from '../emulator';
import type { SimulatedContainer } from './container';
import { ContainerStartError } from './errors';
import { savedEnvironment } from './sagemakerEnvironment';
import { shellWord } from '../../../src/util/shellQuote';

/** The tags the container side puts on its activation (and so on the managed instance). */
export interface SshTags {
  readonly SSHOwner: string;
  readonly SSHCreator: string;
  readonly SSHTimestamp: string;
  readonly SSHResourceName: string;
  readonly SSHResourceArn: string;
  /** Our payload's node tag; upstream's scripts write none. */
  readonly SSHHost?: string;
}

export interface BootstrapOptions {
  readonly tags: SshTags;
  /** The role name for CreateActivation (`SSH_SSM_ROLE`). */
  readonly iamRole: string;
  /** Online: start the agent; ConnectionLost: register only. */
  readonly pingStatus: 'Online' | 'ConnectionLost';
  /** Resolves with the instance id once the agent's control channel is up. */
  readonly agentConnected: (containerId: string) => Promise<string>;
}

export interface BootstrappedSsh {
  readonly instanceId: string;
  readonly activationId: string;
  readonly sshd: ChildProcess;
  readonly agent?: ChildProcess;
}

const ACTIVATION_DESCRIPTION = 'Activation for Amazon SageMaker integration with SSH and IDEs';

/**
 * The emulator's built-in stand-in for upstream's setup_and_start_ssh(): saves the environment to
 * /etc/environment (sm-save-env), starts sshd, creates an activation tagged like sm-init-ssm does,
 * registers with `amazon-ssm-agent -register` inside the container and, for an Online node, runs
 * the agent in the background.
 */
export async function bootstrapSsh(
  emulator: Emulator,
  container: SimulatedContainer,
  options: BootstrapOptions,
): Promise<BootstrappedSsh> {
  await container.writeFile('/etc/environment', savedEnvironment(container.env));
  const sshd = await container.startSshd();
  const { activationId, activationCode } = emulator.createActivation({
    iamRole: options.iamRole,
    registrationLimit: 1,
    description: ACTIVATION_DESCRIPTION,
    tags: { ...options.tags },
  });
  const register = await container.exec(
    `echo Yes | amazon-ssm-agent -register -id ${shellWord(activationId)} -code ${shellWord(activationCode)} -region ${shellWord(emulator.state.region)}`,
    { timeoutMs: 30_000 },
  );
  const registered = /Managed instance-id: (mi-[0-9a-f]{17})/.exec(register.stdout);
  if (register.code !== 0 || !registered) {
    throw new ContainerStartError(
      container.id,
      'amazon-ssm-agent -register',
      `exit ${register.code ?? register.signal}: ${(register.stderr || register.stdout).trim()}`,
    );
  }
  const instanceId = registered[1]!;
  if (options.pingStatus !== 'Online') return { instanceId, activationId, sshd };
  const connected = options.agentConnected(container.id);
  const agent = container.spawn(['amazon-ssm-agent']);
  const connectedId = await connected;
  if (connectedId !== instanceId) {
    throw new ContainerStartError(
      container.id,
      'the agent',
      `connected as ${connectedId}, registered as ${instanceId}`,
    );
  }
  return { instanceId, activationId, sshd, agent };
}
