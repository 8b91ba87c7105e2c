import type { ServiceDefinition } from '../../operations';
import { bucketOperations } from './buckets';
import { listObjectOperations } from './listObjects';
import { objectOperations } from './objects';

/** S3 over REST-XML, path-style addressing (`/<bucket>/<key>`). */
export function s3Service(): ServiceDefinition {
  return {
    name: 's3',
    protocol: 'rest-xml',
    iamPrefix: 's3',
    operations: new Map(
      Object.entries({ ...bucketOperations, ...objectOperations, ...listObjectOperations }),
    ),
  };
}
