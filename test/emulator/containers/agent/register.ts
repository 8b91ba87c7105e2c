// Stand-in agent: the demo's fallback without shared/peers (demoEnvironment.mjs); tested by runtime, network.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { AwsCallError, ssmCall, ssmEndpoint } from './awsRequest';
import { clearIdentity, readIdentity, writeIdentity } from './identity';
import { agentLog } from './log';

export interface RegisterOptions {
  readonly activationId: string;
  readonly activationCode: string;
  readonly region: string;
  /** `-y`: replace an existing registration without asking. */
  readonly yes: boolean;
  /** `-clear`: forget the existing registration first. */
  readonly clear: boolean;
}

async function confirmReplace(existing: string): Promise<boolean> {
  process.stdout.write(
    `The agent is already registered as ${existing}. Do you want to register it again and replace that registration? [Yes/No]: `,
  );
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return /^y(es)?$/i.test(line.trim());
  }
  return false;
}

/** `amazon-ssm-agent -register`: registers with the activation and stores the identity; returns the exit code. */
export async function register(options: RegisterOptions): Promise<number> {
  const existing = readIdentity();
  if (options.clear) clearIdentity();
  else if (existing && !options.yes && !(await confirmReplace(existing.ManagedInstanceID))) {
    agentLog('INFO', 'Registration cancelled; the existing registration is kept.');
    return 1;
  }
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  try {
    const endpoint = ssmEndpoint();
    const output = await ssmCall(
      endpoint,
      'RegisterManagedInstance',
      {
        ActivationCode: options.activationCode,
        ActivationId: options.activationId,
        PublicKey: publicKey.toString('base64'),
        PublicKeyType: 'Rsa',
        Fingerprint: randomUUID(),
      },
      options.region,
    );
    const instanceId = String(output.InstanceId);
    writeIdentity(
      { ManagedInstanceID: instanceId, Region: options.region, Endpoint: endpoint.href },
      privateKey,
    );
    agentLog(
      'INFO',
      `Successfully registered the instance with AWS SSM using Managed instance-id: ${instanceId}`,
    );
    return 0;
  } catch (error) {
    const detail = error instanceof AwsCallError ? error.message : (error as Error).message;
    agentLog('ERROR', `Registration failed due to error registering the instance with AWS SSM. ${detail}`);
    return 1;
  }
}
