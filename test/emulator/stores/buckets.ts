import { createHash } from 'node:crypto';
import { computeChecksum, type ChecksumAlgorithm } from '../protocols/checksums';

export interface StoredChecksum {
  readonly algorithm: ChecksumAlgorithm;
  /** Base64, as carried in x-amz-checksum-<algorithm>. */
  readonly value: string;
}

export interface S3ObjectRecord {
  readonly key: string;
  readonly body: Buffer;
  /** Quoted hex MD5, as S3 returns it. */
  readonly etag: string;
  readonly lastModified: Date;
  readonly contentType: string;
  readonly contentEncoding?: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly checksum: StoredChecksum;
}

export interface BucketRecord {
  readonly name: string;
  readonly region: string;
  readonly creationDate: Date;
  readonly objects: Map<string, S3ObjectRecord>;
  /** Keys in S3 listing order (UTF-8 binary order), maintained on every write. */
  readonly sortedKeys: string[];
}

/** S3 buckets and their objects. */
export class BucketStore {
  private readonly buckets = new Map<string, BucketRecord>();

  get(name: string): BucketRecord | undefined {
    return this.buckets.get(name);
  }

  all(): BucketRecord[] {
    return [...this.buckets.values()];
  }

  create(name: string, region: string, creationDate: Date): BucketRecord {
    if (this.buckets.has(name)) throw new Error(`Bucket ${name} already exists`);
    const bucket: BucketRecord = { name, region, creationDate, objects: new Map(), sortedKeys: [] };
    this.buckets.set(name, bucket);
    return bucket;
  }

  put(bucket: BucketRecord, object: S3ObjectRecord): void {
    if (!bucket.objects.has(object.key)) {
      bucket.sortedKeys.splice(lowerBound(bucket.sortedKeys, object.key), 0, object.key);
    }
    bucket.objects.set(object.key, object);
  }

  delete(bucket: BucketRecord, key: string): void {
    if (!bucket.objects.delete(key)) return;
    bucket.sortedKeys.splice(lowerBound(bucket.sortedKeys, key), 1);
  }
}

/** S3 orders keys by their UTF-8 bytes; UTF-16 order differs only around surrogate pairs. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  if (/[\ud800-\uffff]/.test(a) || /[\ud800-\uffff]/.test(b)) {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
  return a < b ? -1 : 1;
}

/** Index of the first key >= `key`. */
export function lowerBound(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareKeys(sorted[mid]!, key) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Index of the first key > `key`. */
export function upperBound(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareKeys(sorted[mid]!, key) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Index just past the contiguous run of keys that start with `prefix`. */
export function prefixEnd(sorted: readonly string[], prefix: string): number {
  let low = lowerBound(sorted, prefix);
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]!.startsWith(prefix)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** An S3 object as PutObject would store it: MD5 ETag and S3's default CRC64NVME checksum. */
export function newObjectRecord(
  key: string,
  body: Buffer,
  details: {
    contentType?: string;
    contentEncoding?: string;
    lastModified: Date;
    metadata?: Record<string, string>;
    checksum?: S3ObjectRecord['checksum'];
  },
): S3ObjectRecord {
  return {
    key,
    body,
    etag: `"${createHash('md5').update(body).digest('hex')}"`,
    lastModified: details.lastModified,
    contentType: details.contentType ?? 'application/octet-stream',
    contentEncoding: details.contentEncoding,
    metadata: { ...details.metadata },
    checksum: details.checksum ?? { algorithm: 'CRC64NVME', value: computeChecksum('CRC64NVME', body) },
  };
}
