import type { AwsConnection } from '../aws/awsAccess';

const prefetched = new WeakSet<AwsConnection>();

/**
 * Once a view shows a container that is ready for SSH, a Connect is likely: load what its key
 * install needs (the SSM client and its SendCommand code; no AWS call) while the user is still
 * reading the tree, once per connection. The key travels inline in SendCommand, so no S3 client.
 */
export function prefetchConnect(connection: AwsConnection, delayMs = 1000): void {
  if (prefetched.has(connection)) return;
  prefetched.add(connection);
  setTimeout(() => {
    void Promise.all([import('@aws-sdk/client-ssm'), connection.clients.ssm()]).catch(() => undefined);
  }, delayMs).unref();
}
