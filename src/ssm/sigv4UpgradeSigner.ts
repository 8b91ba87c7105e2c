import { createHash, createHmac } from 'node:crypto';
import type { Hash, Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, Provider, SourceData } from '@smithy/types';
import type { UpgradeSigner } from './upgradeSigner';

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 / HMAC-SHA-256 for the signer, from node:crypto. */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.create();
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }

  reset(): void {
    this.hash = this.create();
  }

  private create(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
}

export interface SigV4UpgradeSignerOptions {
  region: string;
  credentials: AwsCredentialIdentity | Provider<AwsCredentialIdentity>;
}

/**
 * Signs the data-channel upgrade GET with SigV4 for the `ssmmessages` service, like the newer AWS
 * plugins do. Query values are decoded form-style ('+' is a space), as the Go signer does.
 */
export function createSigV4UpgradeSigner(options: SigV4UpgradeSignerOptions): UpgradeSigner {
  const signer = new SignatureV4({
    service: 'ssmmessages',
    applyChecksum: false,
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
  });
  return {
    async signUpgrade(streamUrl: string): Promise<Record<string, string>> {
      const url = new URL(streamUrl);
      const query: Record<string, string> = {};
      for (const [name, value] of url.searchParams) query[name] = value;
      const signed = await signer.sign({
        method: 'GET',
        protocol: url.protocol === 'ws:' ? 'http:' : 'https:',
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query,
        headers: { host: url.host },
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(signed.headers)) {
        if (name.toLowerCase() !== 'host') headers[name] = value;
      }
      return headers;
    },
  };
}
