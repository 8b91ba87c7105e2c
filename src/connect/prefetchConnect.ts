import type { AwsConnection } from '../aws/awsAccess';
import { preloadKeyUpload } from './pushPublicKey';

const prefetched = new WeakSet<AwsConnection>();

/**
 * Once a view shows a container that is ready for SSH, a Connect is likely: load the S3 client
 * its key upload needs (code only, no AWS call) while the user is still reading the tree, once per
 * connection. Without it the first Connect compiles that SDK chunk on its critical path.
 */
export function prefetchConnect(connection: AwsConnection, delayMs = 1000): void {
  if (prefetched.has(connection)) return;
  prefetched.add(connection);
  setTimeout(() => preloadKeyUpload(connection), delayMs).unref();
}
