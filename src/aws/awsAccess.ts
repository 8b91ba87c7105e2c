import type { Logger } from '../util/logger';
import type { UserFacingError } from '../util/errors';
import type { AwsClientOptions } from './awsClientFactory';
import { AwsClientFactory } from './awsClientFactory';
import type { AwsContext, AwsSelection, Environment } from './awsContext';
import { contextKey, resolveAwsContext } from './awsContext';
import { ProfileNotFoundError } from './awsErrors';
import type { CallerIdentity } from './callerIdentity';
import { fetchCallerIdentity } from './callerIdentity';
import type { SharedConfig } from './sharedConfig';
import { readSharedConfig } from './sharedConfig';
import { translateAwsError } from './translateAwsError';

/** A resolved profile/region with its clients; what views and commands use to reach AWS. */
export interface AwsConnection {
  readonly context: AwsContext;
  readonly clients: AwsClientFactory;
  /** STS GetCallerIdentity, fetched once per profile/region/endpoint and cached. */
  identity(): Promise<CallerIdentity>;
  translate(error: unknown): UserFacingError;
}

export interface AwsAccessDependencies {
  readonly logger: Logger;
  readonly env?: Environment;
  readonly readConfig?: () => Promise<SharedConfig>;
  readonly clientOptions?: AwsClientOptions;
}

/**
 * The one place that talks to AWS the way AWS users expect. It turns a selection (our settings or
 * CLI flags) into a connection, reusing clients and the caller identity while nothing changed.
 */
export class AwsAccess {
  private current?: { key: string; connection: AwsConnection };
  private readonly identities = new Map<string, Promise<CallerIdentity>>();

  constructor(private readonly deps: AwsAccessDependencies) {}

  async connect(selection: AwsSelection): Promise<AwsConnection> {
    const config = await (this.deps.readConfig ?? readSharedConfig)();
    const context = resolveAwsContext(selection, this.deps.env ?? process.env, config);
    if (context.profileMissing && context.profile.value) {
      throw new ProfileNotFoundError(context.profile.value, context.profile.origin, context.surface);
    }
    const key = contextKey(context);
    if (this.current?.key === key) {
      return this.current.connection;
    }
    this.current?.connection.clients.dispose();
    const connection = this.createConnection(context, key);
    this.current = { key, connection };
    return connection;
  }

  /** Forget cached identities and clients, e.g. after the user ran `aws sso login`. */
  reset(): void {
    this.identities.clear();
    this.current?.connection.clients.dispose();
    this.current = undefined;
  }

  dispose(): void {
    this.reset();
  }

  private createConnection(context: AwsContext, key: string): AwsConnection {
    const clients = new AwsClientFactory(context, this.deps.logger, this.deps.clientOptions);
    return {
      context,
      clients,
      identity: () => this.identity(key, clients),
      translate: (error) => translateAwsError(error, context),
    };
  }

  private identity(key: string, clients: AwsClientFactory): Promise<CallerIdentity> {
    let pending = this.identities.get(key);
    if (!pending) {
      pending = fetchCallerIdentity(clients);
      pending.catch(() => this.identities.delete(key));
      this.identities.set(key, pending);
    }
    return pending;
  }
}
