import type { Emulator } from '../emulator';
import type { SimulatedContainer } from './container';
import { ContainerStartError } from './errors';
import { IMAGE_PACKAGES } from './hostPackages';
import { shellWord } from '../../../src/util/shellQuote';

const NATIVE_ACTIVATION_DESCRIPTION = 'SageMaker managed SSM agent (service account, hidden)';

/** Debian packages of an image without sshd: hostPackages.ts IMAGE_PACKAGES less openssh-server. */
export const IMAGE_PACKAGES_WITHOUT_SSHD: readonly string[] = IMAGE_PACKAGES.filter(
  (name) => name !== 'openssh-server',
);

/**
 * What SageMaker does in a container it serves natively (remote debug, a space, a HyperPod node):
 * registers AWS's agent with an activation of its own (no SSH tags; hidden from the customer's
 * DescribeActivations and DescribeInstanceInformation), starts it, and waits for its control channel.
 * Resolves with the agent's (hidden) managed instance id.
 */
export async function startNativeAgent(
  emulator: Emulator,
  container: SimulatedContainer,
  iamRole: string,
  agentConnected: (containerId: string) => Promise<string>,
): Promise<string> {
  const { activationId, activationCode } = emulator.createActivation({
    iamRole,
    registrationLimit: 1,
    description: NATIVE_ACTIVATION_DESCRIPTION,
    hidden: true,
  });
  const register = await container.exec(
    `echo Yes | amazon-ssm-agent -register -id ${shellWord(activationId)} -code ${shellWord(activationCode)} -region ${shellWord(emulator.state.region)}`,
    { timeoutMs: 30_000 },
  );
  const registered = /Managed instance-id: (mi-[0-9a-f]{17})/.exec(register.stdout);
  if (register.code !== 0 || !registered) {
    throw new ContainerStartError(
      container.id,
      'registering the native agent',
      `exit ${register.code ?? register.signal}: ${(register.stderr || register.stdout).trim()}`,
    );
  }
  const connected = agentConnected(container.id);
  container.spawn(['amazon-ssm-agent']);
  const connectedId = await connected;
  if (connectedId !== registered[1]) {
    throw new ContainerStartError(
      container.id,
      'the native agent',
      `connected as ${connectedId}, registered as ${registered[1]}`,
    );
  }
  return connectedId;
}
