import { presignedService } from '../auth/presigned';
import { scopeService } from '../auth/sigv4';
import { headerText, type RawRequest } from '../protocols/adapter';
import { queryParams } from '../protocols/query';
import type { ServiceRegistry } from './registry';

/**
 * Which service a request is for. The SigV4 credential scope names it in every signed request;
 * so does X-Amz-Credential in a presigned URL's query. Unsigned requests fall back to the
 * X-Amz-Target prefix (JSON), a form `Action=` (STS), else S3.
 */
export function detectService(request: RawRequest, registry: ServiceRegistry): string {
  const fromScope =
    scopeService(headerText(request.headers, 'authorization')) ?? presignedService(request.rawQuery);
  if (fromScope) return fromScope;
  const target = headerText(request.headers, 'x-amz-target');
  if (target) return registry.serviceForTarget(target) ?? target.split('.')[0]!;
  if (queryParams(request).Action !== undefined) return 'sts';
  return 's3';
}
