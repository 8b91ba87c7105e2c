// Stand-in agent: the demo's fallback without shared/peers (demoEnvironment.mjs); tested by runtime, network.
import type { AwsCredentials } from './awsRequest';
import { send } from './awsRequest';

/**
 * The execution role's credentials from the container credentials endpoint, as SageMaker provides
 * them (AWS_CONTAINER_CREDENTIALS_FULL_URI, or RELATIVE_URI against 169.254.170.2).
 */
export async function containerCredentials(): Promise<AwsCredentials> {
  const full = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  const relative = process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  if (!full && !relative) {
    throw new Error(
      'no role credentials: neither AWS_CONTAINER_CREDENTIALS_FULL_URI nor AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set',
    );
  }
  const url = new URL(full ?? `http://169.254.170.2${relative}`);
  const token = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
  const { status, text } = await send(url, 'GET', token ? { authorization: token } : {}, '');
  if (status !== 200)
    throw new Error(`the container credentials endpoint ${url.href} answered ${status}: ${text}`);
  const body = JSON.parse(text) as { AccessKeyId?: string; SecretAccessKey?: string; Token?: string };
  if (!body.AccessKeyId || !body.SecretAccessKey) {
    throw new Error(`the container credentials endpoint ${url.href} returned no AccessKeyId/SecretAccessKey`);
  }
  return { accessKeyId: body.AccessKeyId, secretAccessKey: body.SecretAccessKey, sessionToken: body.Token };
}
