import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Logger } from '../util/logger';
import type { AwsContext } from './awsContext';
import { addCallLogger } from './awsCallLogger';
import type { MiddlewareStackLike } from './awsCallLogger';
import { NoRegionError } from './awsErrors';
import type { AwsServiceName } from './services';

export interface AwsClientOptions {
  /** Total attempts per call including retries; throttling is retried by the SDK up to this. */
  readonly maxAttempts?: number;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Replaces the standard credential chain, e.g. for a CLI given explicit keys. */
  readonly credentials?: AwsCredentialIdentityProvider;
}

interface ClientLike {
  readonly middlewareStack: MiddlewareStackLike;
  destroy(): void;
}

interface ClientConfig {
  region: string;
  profile?: string;
  endpoint?: string;
  credentials: AwsCredentialIdentityProvider;
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
}

/**
 * Makes the SDK clients for one resolved profile/region/endpoint context. Each SDK package is
 * imported on first use only, so activating the extension loads none of them.
 */
export class AwsClientFactory {
  private readonly clients = new Map<AwsServiceName, Promise<ClientLike>>();
  private credentials?: AwsCredentialIdentityProvider;

  constructor(
    readonly context: AwsContext,
    private readonly logger: Logger,
    private readonly options: AwsClientOptions = {},
  ) {}

  get region(): string {
    const region = this.context.region.value;
    if (!region) {
      throw new NoRegionError(this.context.surface);
    }
    return region;
  }

  sagemaker(): Promise<SageMakerClient> {
    return this.client('sagemaker', async (config) => {
      const { SageMakerClient } = await import('@aws-sdk/client-sagemaker');
      return new SageMakerClient(config);
    });
  }

  ssm(): Promise<SSMClient> {
    return this.client('ssm', async (config) => {
      const { SSMClient } = await import('@aws-sdk/client-ssm');
      return new SSMClient(config);
    });
  }

  s3(): Promise<S3Client> {
    return this.client('s3', async (config) => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      return new S3Client(config);
    });
  }

  sts(): Promise<STSClient> {
    return this.client('sts', async (config) => {
      const { STSClient } = await import('@aws-sdk/client-sts');
      return new STSClient(config);
    });
  }

  logs(): Promise<CloudWatchLogsClient> {
    return this.client('logs', async (config) => {
      const { CloudWatchLogsClient } = await import('@aws-sdk/client-cloudwatch-logs');
      return new CloudWatchLogsClient(config);
    });
  }

  /** The credential provider the clients share; also used to sign the SSM data-channel upgrade. */
  async credentialProvider(): Promise<AwsCredentialIdentityProvider> {
    if (this.options.credentials) {
      return this.options.credentials;
    }
    if (!this.credentials) {
      const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
      this.credentials = fromNodeProviderChain({
        profile: this.context.profile.value,
        clientConfig: { region: this.region },
      });
    }
    return this.credentials;
  }

  dispose(): void {
    for (const pending of this.clients.values()) {
      pending.then((client) => client.destroy()).catch(() => undefined);
    }
    this.clients.clear();
  }

  private client<T extends object>(
    service: AwsServiceName,
    create: (config: ClientConfig) => Promise<T>,
  ): Promise<T> {
    let pending = this.clients.get(service);
    if (!pending) {
      pending = this.createClient(service, create as (config: ClientConfig) => Promise<ClientLike & T>);
      pending.catch(() => this.clients.delete(service));
      this.clients.set(service, pending);
    }
    return pending as Promise<ClientLike & T>;
  }

  private async createClient<T extends ClientLike>(
    service: AwsServiceName,
    create: (config: ClientConfig) => Promise<T>,
  ): Promise<T> {
    const region = this.region;
    const endpoint = this.context.endpoints[service];
    const client = await create({
      region,
      profile: this.context.profile.value,
      endpoint: endpoint.value,
      credentials: await this.credentialProvider(),
      maxAttempts: this.options.maxAttempts ?? 4,
      requestHandler: {
        connectionTimeout: this.options.connectionTimeoutMs ?? 5_000,
        requestTimeout: this.options.requestTimeoutMs ?? 30_000,
      },
    });
    addCallLogger(
      client.middlewareStack,
      {
        service,
        region,
        endpoint: endpoint.value ?? `https://${service}.${region}.amazonaws.com`,
        endpointOrigin: endpoint.value ? `from ${endpoint.origin}` : 'AWS default endpoint',
      },
      this.logger,
    );
    return client;
  }
}
