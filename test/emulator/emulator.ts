import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CallLog } from './callLog';
import { Clock } from './clock';
import { ContainerManager } from './containers/manager';
import { AwsError } from './errors';
import { FaultInjector } from './faults';
import type { JsonOperationTable, QueryOperationTable, S3OperationTable } from './operations';
import { Paginator } from './pagination';
import type { HttpReply, RawRequest } from './protocols/adapter';
import { loadScenarioFile, validateScenario } from './scenario/load';
import { buildState } from './scenario/materialize';
import type { PingStatus, Scenario, ScenarioDocument } from './scenario/types';
import { ADMIN_PREFIX, handleAdmin, type AdminTarget } from './server/admin';
import { BodyTooLargeError, readBody } from './server/body';
import { handleAwsRequest } from './server/pipeline';
import { ServiceRegistry, type AddOperationsOptions } from './server/registry';
import { makeThrowawayTls } from './server/tls';
import { UpgradeRouter, type UpgradeHandler } from './server/upgrades';
import { ec2MessagesService } from './services/ec2messages';
import { sageMakerService } from './services/sagemaker';
import { s3Service } from './services/s3';
import { ssmService } from './services/ssm';
import { newActivation, type ActivationRequest } from './services/ssm/activations';
import { registerWithActivation, type InstanceRegistrationInfo } from './services/ssm/registration';
import { stsService } from './services/sts';
import { LogStore, logsService, seedTrainingJobLogs } from './services/logs';
import type { EmulatorState } from './state';
import type { ManagedInstanceRecord } from './stores/instances';

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface StartEmulatorOptions {
  /** A scenario file path, or a scenario document (see README.md). Default: an empty account. */
  readonly scenario?: string | ScenarioDocument;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Time source (ms since epoch) for the emulator's clock; default Date.now. */
  readonly now?: () => number;
  /** Receives unexpected exceptions from handlers (default: printed to stderr). */
  readonly onInternalError?: (error: unknown) => void;
}

/** The emulator's TLS listener (ssmmessages: the agent only speaks https/wss to it). */
export interface TlsEndpoint {
  /** `https://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  /** The run's throwaway CA (PEM) that signed the listener's certificate. */
  readonly caPem: string;
}

/** Answers a plain HTTP request routed by `Emulator.onRequest` (the body is not read for it). */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A running emulator: one HTTP server on 127.0.0.1 answering SageMaker, SSM, S3 and STS in their
 * real wire protocols, plus the admin API under /_emulator/ and registered upgrade handlers.
 */
export class Emulator implements AdminTarget {
  readonly faults = new FaultInjector();
  readonly calls = new CallLog();
  private readonly registry = new ServiceRegistry();
  private readonly upgrades = new UpgradeRouter();
  private readonly pagination = new Paginator();
  private readonly server: Server;
  private readonly requestRoutes: { prefix: string; handler: RequestHandler }[] = [];
  private tlsListener: Promise<{ server: TlsServer; endpoint: TlsEndpoint }> | undefined;
  /** Simulated containers, their agents' control channels, Run Command and container credentials. */
  readonly containers: ContainerManager;
  /** CloudWatch Logs groups, streams and events (see services/logs/README.md). */
  readonly logs: LogStore;

  private constructor(
    readonly state: EmulatorState,
    private readonly onInternalError: (error: unknown) => void,
  ) {
    this.logs = new LogStore(() => state.now().getTime());
    seedTrainingJobLogs(state, this.logs);
    for (const service of [
      sageMakerService(),
      ssmService(),
      s3Service(),
      stsService(),
      ec2MessagesService(),
      logsService(this.logs),
    ])
      this.registry.register(service);
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on('upgrade', (request, socket, head) => this.upgrades.handle(request, socket, head));
    this.containers = new ContainerManager(this);
  }

  /** Builds the emulator for a validated scenario and starts listening. */
  static async start(scenario: Scenario, clock: Clock, options: StartEmulatorOptions): Promise<Emulator> {
    const emulator = new Emulator(
      buildState(scenario, clock),
      options.onInternalError ?? defaultInternalErrorLog,
    );
    emulator.faults.globalLatencyMs = scenario.latencyMs ?? 0;
    if (scenario.faults && scenario.faults.length > 0) emulator.faults.add(...scenario.faults);
    await new Promise<void>((resolve, reject) => {
      emulator.server.once('error', reject);
      emulator.server.listen(options.port ?? 0, '127.0.0.1', () => {
        emulator.server.off('error', reject);
        resolve();
      });
    });
    return emulator;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port>`: the value for the SDK's `endpoint` option or AWS_ENDPOINT_URL. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Environment variables that point AWS SDKs and tools at this emulator, with the credentials of
   * `identity` (a name from the scenario; default: the first identity).
   */
  env(identity?: string): Record<string, string> {
    const chosen =
      identity === undefined ? this.state.identities.default : this.state.identities.named(identity);
    if (!chosen)
      throw new Error(
        `Unknown identity ${identity}; known: ${this.state.identities
          .all()
          .map((i) => i.name)
          .join(', ')}`,
      );
    const env: Record<string, string> = {
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_REGION: this.state.region,
      AWS_ACCESS_KEY_ID: chosen.accessKeyId,
      AWS_SECRET_ACCESS_KEY: chosen.secretAccessKey,
    };
    if (chosen.sessionToken) env.AWS_SESSION_TOKEN = chosen.sessionToken;
    return env;
  }

  /** Credentials of a scenario identity, in the shape SDK clients take as `credentials`. */
  credentials(identity?: string): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
    const env = this.env(identity);
    return {
      accessKeyId: env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
      sessionToken: env.AWS_SESSION_TOKEN,
    };
  }

  /**
   * Adds (or with `{ replace: true }` replaces) operations of a service. JSON services take
   * `{ Name: handler | { handler, iamAction?, resourceArn?, anonymous? } }`; S3 operations also
   * need a `route`. Handlers throw AwsError for service errors.
   */
  addOperations(
    service: 'sagemaker' | 'ssm' | 'logs',
    operations: JsonOperationTable,
    options?: AddOperationsOptions,
  ): void;
  addOperations(service: 'sts', operations: QueryOperationTable, options?: AddOperationsOptions): void;
  addOperations(service: 's3', operations: S3OperationTable, options?: AddOperationsOptions): void;
  addOperations(
    service: string,
    operations: JsonOperationTable | QueryOperationTable | S3OperationTable,
    options?: AddOperationsOptions,
  ): void {
    this.registry.addOperations(service, operations, options);
  }

  /** Routes HTTP upgrade requests (WebSockets) whose path starts with `pathPrefix` to `handler`. */
  onUpgrade(pathPrefix: string, handler: UpgradeHandler): void {
    this.upgrades.add(pathPrefix, handler);
  }

  /** Routes plain HTTP requests whose path starts with `pathPrefix` (before the admin API and AWS calls). */
  onRequest(pathPrefix: string, handler: RequestHandler): void {
    if (this.requestRoutes.some((route) => route.prefix === pathPrefix)) {
      throw new Error(`A request handler for ${pathPrefix} is already registered`);
    }
    this.requestRoutes.push({ prefix: pathPrefix, handler });
    this.requestRoutes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** Creates a hybrid activation directly in state (what a container's CreateActivation call does). */
  createActivation(request: ActivationRequest): { activationId: string; activationCode: string } {
    const activation = newActivation(request, this.state.now());
    this.state.activations.add(activation);
    return { activationId: activation.id, activationCode: activation.code };
  }

  /**
   * Registers a managed instance with an activation and marks its agent Online, as a simulated
   * container's `amazon-ssm-agent -register` + first heartbeat would. Throws AwsError like the API.
   */
  registerInstance(
    activationIdValue: string,
    code: string,
    info: InstanceRegistrationInfo = {},
  ): ManagedInstanceRecord {
    const now = this.state.now();
    return registerWithActivation(
      this.state,
      activationIdValue,
      code,
      { pingStatus: 'Online', ...info },
      now,
    );
  }

  /** Sets an instance's PingStatus (Online also refreshes LastPingDateTime). */
  setPingStatus(instanceId: string, status: PingStatus): void {
    if (!this.state.instances.has(instanceId)) {
      throw new AwsError(
        'InvalidInstanceId',
        `Instance ${instanceId} is not a managed node of this account.`,
      );
    }
    this.state.instances.setPingStatus(
      instanceId,
      status,
      status === 'Online' ? this.state.now() : undefined,
    );
  }

  /**
   * A TLS listener on 127.0.0.1 that answers exactly what the plain one does, with a certificate
   * from a CA made for this run (openssl). Made on first use; the agent's MGS endpoint
   * (ssmmessages) must be https, and containers trust the CA through SSL_CERT_FILE.
   */
  tls(): Promise<TlsEndpoint> {
    this.tlsListener ??= (async () => {
      const { caPem, certPem, keyPem } = await makeThrowawayTls();
      const server = createTlsServer({ key: keyPem, cert: certPem }, (request, response) => {
        void this.handle(request, response);
      });
      server.on('upgrade', (request, socket, head) => this.upgrades.handle(request, socket, head));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      const port = (server.address() as AddressInfo).port;
      return { server, endpoint: { endpoint: `https://127.0.0.1:${port}`, port, caPem } };
    })();
    return this.tlsListener.then((listener) => listener.endpoint);
  }

  /** Stops every simulated container, then stops listening and drops open connections (including upgraded sockets). */
  async close(): Promise<void> {
    await this.containers.close();
    const tls = await this.tlsListener?.catch(() => undefined);
    if (tls) {
      await new Promise<void>((resolve) => {
        tls.server.close(() => resolve());
        tls.server.closeAllConnections();
      });
    }
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      this.upgrades.destroyAll();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const route = this.requestRoutes.find((candidate) => (request.url ?? '').startsWith(candidate.prefix));
    if (route) {
      route.handler(request, response);
      return;
    }
    try {
      const body = await readBody(request, MAX_BODY_BYTES);
      if ((request.url ?? '').startsWith(ADMIN_PREFIX)) {
        handleAdmin(this, request, body, response);
        return;
      }
      const reply = await handleAwsRequest(toRawRequest(request, body), {
        registry: this.registry,
        state: this.state,
        faults: this.faults,
        calls: this.calls,
        pagination: this.pagination,
        endpoint: () => this.endpoint,
        onInternalError: this.onInternalError,
      });
      writeReply(response, reply);
    } catch (error) {
      if (isClientAbort(error)) return;
      if (error instanceof BodyTooLargeError) {
        response.writeHead(413, { connection: 'close' }).end();
        request.destroy();
        return;
      }
      this.onInternalError(error);
      if (!response.headersSent) response.writeHead(500).end();
    }
  }
}

/** The client went away mid-request: nothing to answer, nothing to report. */
function isClientAbort(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ECONNRESET' || code === 'ECONNABORTED' || (error as Error).message === 'aborted';
}

function toRawRequest(request: IncomingMessage, body: Buffer): RawRequest {
  const url = request.url ?? '/';
  const question = url.indexOf('?');
  return {
    method: request.method ?? 'GET',
    rawPath: question === -1 ? url : url.slice(0, question),
    rawQuery: question === -1 ? '' : url.slice(question + 1),
    headers: request.headers,
    rawHeaders: request.rawHeaders,
    body,
  };
}

function writeReply(response: ServerResponse, reply: HttpReply): void {
  const headers: Record<string, string | number> = { ...reply.headers };
  if (reply.body !== undefined && headers['content-length'] === undefined) {
    headers['content-length'] = Buffer.byteLength(reply.body);
  }
  if (reply.body === undefined && headers['content-length'] === undefined) headers['content-length'] = 0;
  response.writeHead(reply.status, headers);
  response.end(reply.body);
}

function defaultInternalErrorLog(error: unknown): void {
  console.error('[emulator] internal error:', error);
}

/**
 * Starts an emulator. `scenario` is a file path or a document; relative times in it ("-2h")
 * resolve against the moment of the call. Throws ScenarioError for an invalid scenario.
 * Containers declared with `ssh` are started too; the promise resolves once their agents are
 * Online (ContainerIsolationError where the machine cannot isolate them).
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const clock = new Clock(options.now);
  const scenario =
    typeof options.scenario === 'string'
      ? loadScenarioFile(options.scenario, clock.start)
      : validateScenario(options.scenario ?? {}, clock.start);
  const emulator = await Emulator.start(scenario, clock, options);
  try {
    if (scenario.options?.spaceContainers) {
      const { installSpaceRuntime } = await import('./containers/spaceRuntime');
      installSpaceRuntime(emulator);
    }
    await emulator.containers.startDeclared(scenario);
  } catch (error) {
    await emulator.close();
    throw error;
  }
  return emulator;
}
