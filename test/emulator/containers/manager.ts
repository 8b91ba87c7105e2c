import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TargetEndpoint } from '../datachannel/agentBridge';
import type { SessionRegistry } from '../datachannel/sessionRegistry';
import type { Emulator } from '../emulator';
import { isSessionOfRole, roleNameOf } from '../scenario/executionRoles';
import type { Scenario } from '../scenario/types';
import { installRunCommand, type CommandStore } from '../services/runCommand';
import { AgentHub } from './agentHub';
import { CONTROL_CHANNEL_PREFIX } from './agentProtocol';
import { bootstrapSsh, type BootstrappedSsh, type SshTags } from './bootstrap';
import { SimulatedContainer, type ContainerSpec } from './container';
import { pipeDeclaredJobLogs, startDeclaredContainers, type DeclaredNode } from './declared';
import { ContainerStartError } from './errors';
import { readFileSync } from 'node:fs';
import { unpackPeers } from '../peers';
import { awsAgentFiles, AGENT_CA_PATH } from './awsAgentConfig';
import { interactiveShellFrame } from './mgsJobs';
import { IMAGE_PACKAGES_WITHOUT_SSHD, startNativeAgent } from './nativeAgent';
import { SessionServiceError, type AgentSessionStart } from '../datachannel/sessionRegistry';

export const CREDENTIALS_PREFIX = '/_emulator/container-credentials/';
const CREDENTIALS_LIFETIME_MS = 6 * 3_600_000;
const AGENT_CONNECT_TIMEOUT_MS = 20_000;

/** The agent containers get when their spec does not say: AWS's, unless `$SM_EMULATOR_AGENT` is `stand-in`. */
function defaultAgent(): 'aws' | 'stand-in' {
  return process.env.SM_EMULATOR_AGENT === 'stand-in' ? 'stand-in' : 'aws';
}

/** A container the emulator starts: a ContainerSpec whose environment also points at the emulator. */
export interface ManagedContainerSpec extends Omit<ContainerSpec, 'awsAgentDir'> {
  /**
   * `aws`: AWS's amazon-ssm-agent (from shared/peers) at /usr/local/bin, configured for this
   * emulator (`/etc/amazon/ssm/amazon-ssm-agent.json`, MGS over the emulator's TLS listener, its CA
   * in SSL_CERT_FILE); the default. `stand-in`: the emulator's own agent.
   */
  readonly agent?: 'aws' | 'stand-in';
  /**
   * Scenario identity whose credentials the container credentials endpoint serves to this container
   * (the execution role). Default: the identity of the `SageMakerExecutionRole` session.
   */
  readonly roleIdentity?: string;
}

/** A container with SSH brought up by the built-in bootstrap. */
export interface SshNodeSpec extends ManagedContainerSpec {
  readonly tags: SshTags;
  /** For CreateActivation; default the role of `roleIdentity`. */
  readonly iamRole?: string;
  readonly pingStatus?: 'Online' | 'ConnectionLost';
}

/**
 * A container SageMaker serves natively: AWS's agent registered by the emulator (as SageMaker does),
 * answering the given Session Manager targets; no payload, no sshd running.
 */
export interface NativeNodeSpec extends Omit<ManagedContainerSpec, 'agent'> {
  /** Target strings (`sagemaker-training-job:<job>_algo-<N>`, …) this container's agent answers. */
  readonly targets: readonly string[];
  /** Start the agent now (default true); false: later with startNativeAgent (e.g. UpdateTrainingJob). */
  readonly agentRunning?: boolean;
  /** Whether the image has an sshd binary (default true; it never runs unless someone starts it). */
  readonly sshd?: boolean;
  /** The user the service has shell sessions run as (HyperPod: root); default ssm-user. */
  readonly runAsUser?: string;
}

export interface NativeNode {
  readonly container: SimulatedContainer;
  /** The agent's managed instance, hidden from the customer; undefined while the agent is not running. */
  readonly instanceId?: string;
}

export interface SshNode extends BootstrappedSsh {
  readonly container: SimulatedContainer;
}

interface ContainerEntry {
  readonly container: SimulatedContainer;
  readonly token: string;
  readonly roleIdentity: string;
}

/**
 * The emulator's simulated containers and what connects them to the services: the agents' control
 * channels (AgentHub), Run Command, the container credentials endpoint, and the target resolver
 * that routes SSM sessions for a managed instance to its container's sshd. Available as
 * `emulator.containers`; containers only start when asked to (or, for scenario `ssh` declarations,
 * when the emulator starts).
 */
export class ContainerManager {
  readonly hub: AgentHub;
  /** Run Command's commands and invocations. */
  readonly commands: CommandStore;
  private readonly entries = new Map<string, ContainerEntry>();
  private readonly declared: DeclaredNode[] = [];
  private sessionRegistry: SessionRegistry | undefined;
  private closing: Promise<void> | undefined;
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly emulator: Emulator) {
    this.hub = new AgentHub(emulator.state, (instanceId) => this.registeredIn(instanceId));
    emulator.onUpgrade(CONTROL_CHANNEL_PREFIX, (request, socket, head) =>
      this.hub.handleUpgrade(request, socket, head),
    );
    emulator.onRequest(CONTROL_CHANNEL_PREFIX, (request, response) =>
      this.hub.handleCreate(request, response),
    );
    this.commands = installRunCommand(emulator, this.hub);
    emulator.onRequest(CREDENTIALS_PREFIX, (request, response) => this.serveCredentials(request, response));
  }

  /** Every running container (not those being stopped). */
  list(): SimulatedContainer[] {
    return [...this.entries.values()]
      .map((entry) => entry.container)
      .filter((container) => container.running);
  }

  get(containerId: string): SimulatedContainer | undefined {
    return this.entries.get(containerId)?.container;
  }

  /** The containers started for the scenario's `ssh` declarations, with their resource and instance. */
  nodes(): readonly DeclaredNode[] {
    return this.declared;
  }

  /** The managed instance whose agent is connected from this container. */
  instanceOf(containerId: string): string | undefined {
    return this.hub.connections().find((connection) => connection.containerId === containerId)?.instanceId;
  }

  /** The running container whose AWS agent registered as this managed instance (its vault names it). */
  private registeredIn(instanceId: string): string | undefined {
    for (const container of this.list()) {
      try {
        const key = readFileSync(
          container.hostPath('/var/lib/amazon/ssm/Vault/Store/RegistrationKey'),
          'utf8',
        );
        if (key.includes(instanceId)) return container.id;
      } catch {
        // not registered there
      }
    }
    return undefined;
  }

  /** The container whose agent is connected as this managed instance. */
  forInstance(instanceId: string): SimulatedContainer | undefined {
    const containerId = this.hub.connection(instanceId)?.containerId;
    return containerId === undefined ? undefined : this.get(containerId);
  }

  /** The session registry (StartSession/ResumeSession/TerminateSession), once containers were declared. */
  get sessions(): SessionRegistry | undefined {
    return this.sessionRegistry;
  }

  /**
   * Maps a session target to what the fake agent dials for it: `port` on the loopback of the
   * container whose agent is connected as that managed instance (its network bridge).
   */
  readonly resolveTarget = (
    target: string,
    port: number,
    host: string | undefined,
  ): TargetEndpoint | undefined => {
    const container = this.forInstance(this.instanceForTarget(target));
    if (!container?.running) return undefined;
    if (host !== undefined && !['localhost', '127.0.0.1'].includes(host)) return undefined;
    return { name: `${container.id}:127.0.0.1:${port}`, dial: () => container.dial(port) };
  };

  /** Starts a container whose environment points at this emulator (endpoint, region, role credentials). */
  async start(spec: ManagedContainerSpec): Promise<SimulatedContainer> {
    if (this.closing) throw new ContainerStartError(spec.id, 'start', 'the emulator is closing');
    if (this.entries.has(spec.id))
      throw new ContainerStartError(spec.id, 'start', 'a container with this id exists');
    const roleIdentity = this.roleIdentityFor(spec);
    const token = randomBytes(24).toString('base64url');
    const region = this.emulator.state.region;
    const env = {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ENDPOINT_URL: this.emulator.endpoint,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${this.emulator.endpoint}${CREDENTIALS_PREFIX}${encodeURIComponent(spec.id)}`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: token,
      SM_EMULATOR_CONTAINER_ID: spec.id,
      ...spec.env,
    };
    let aws: Pick<ContainerSpec, 'awsAgentDir' | 'files'> = {};
    // The emulator's endpoints, bridged into the container's own network at the same port numbers.
    const hostPorts = [this.emulator.port];
    if ((spec.agent ?? defaultAgent()) === 'aws') {
      const [peers, tls] = await Promise.all([unpackPeers(), this.emulator.tls()]);
      Object.assign(env, { SSL_CERT_FILE: AGENT_CA_PATH, ...spec.env });
      aws = {
        awsAgentDir: peers.dir,
        files: { ...awsAgentFiles(this.emulator.endpoint, tls, region), ...spec.files },
      };
      hostPorts.push(tls.port);
    }
    const container = await SimulatedContainer.start({ ...spec, ...aws, env, hostPorts });
    const entry = { container, token, roleIdentity };
    this.entries.set(spec.id, entry);
    // However it ended (stopped, or its init died), clean up its processes and sandbox, then forget it.
    container.once('exit', () =>
      this.track(
        container.stop().finally(() => {
          if (this.entries.get(spec.id) === entry) this.entries.delete(spec.id);
        }),
      ),
    );
    if (this.closing) {
      await container.stop();
      throw new ContainerStartError(spec.id, 'start', 'the emulator is closing');
    }
    return container;
  }

  /**
   * The managed instance behind a session target: a native target's container's agent (undefined
   * when the target is unknown or its agent is not connected), else the target itself.
   */
  instanceForTarget(target: string): string {
    const native = this.emulator.state.nativeTargets.get(target);
    if (!native) return target;
    return this.instanceOf(native.containerId) ?? `unconnected:${target}`;
  }

  /**
   * Registers a native target for a running container, one call per target (HyperPod nodes,
   * spaces): StartSession on `target` then reaches that container's native agent.
   */
  registerNativeTarget(target: string, containerId: string, runAsUser?: string): void {
    if (!this.get(containerId))
      throw new ContainerStartError(containerId, 'native target', 'no such container');
    this.emulator.state.nativeTargets.register(target, containerId, runAsUser);
  }

  /** Starts a native container (see NativeNodeSpec) and registers its targets. */
  async startNativeNode(spec: NativeNodeSpec): Promise<NativeNode> {
    const container = await this.start({
      ...spec,
      agent: 'aws',
      imagePackages: spec.sshd === false ? IMAGE_PACKAGES_WITHOUT_SSHD : spec.imagePackages,
    });
    try {
      for (const target of spec.targets) this.registerNativeTarget(target, container.id, spec.runAsUser);
      const instanceId = spec.agentRunning === false ? undefined : await this.startNativeAgent(container.id);
      return { container, instanceId };
    } catch (error) {
      for (const target of spec.targets) this.emulator.state.nativeTargets.unregister(target);
      await container.stop();
      throw error;
    }
  }

  /**
   * Starts SageMaker's agent in a native container (registered with a hidden activation of the
   * container's role); resolves with its instance id. An agent already connected is reused.
   */
  async startNativeAgent(containerId: string): Promise<string> {
    const already = this.instanceOf(containerId);
    if (already) return already;
    const entry = this.entries.get(containerId);
    if (!entry) throw new ContainerStartError(containerId, 'native agent', 'no such container');
    const roleName = roleNameOf(this.roleArnOf(entry.roleIdentity));
    return startNativeAgent(this.emulator, entry.container, roleName, (id) => this.agentConnected(id));
  }

  /** Starts a container and brings SSH up with the built-in bootstrap (activation, register, sshd, agent). */
  async startSshNode(spec: SshNodeSpec): Promise<SshNode> {
    const roleName = roleNameOf(this.roleArnOf(this.roleIdentityFor(spec)));
    const container = await this.start({
      ...spec,
      env: { SSH_SSM_ROLE: spec.iamRole ?? roleName, SSH_OWNER_TAG: spec.tags.SSHOwner, ...spec.env },
    });
    try {
      const bootstrapped = await bootstrapSsh(this.emulator, container, {
        tags: spec.tags,
        iamRole: spec.iamRole ?? roleName,
        pingStatus: spec.pingStatus ?? 'Online',
        agentConnected: (id) => this.agentConnected(id),
      });
      return { container, ...bootstrapped };
    } catch (error) {
      await container.stop();
      throw error;
    }
  }

  /** Resolves with the instance id when an agent in this container has opened its control channel. */
  agentConnected(containerId: string, timeoutMs = AGENT_CONNECT_TIMEOUT_MS): Promise<string> {
    const already = this.instanceOf(containerId);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const container = this.get(containerId);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.hub.off('connected', onConnected);
        container?.off('exit', onExit);
      };
      const onConnected = (connection: { instanceId: string; containerId?: string }): void => {
        if (connection.containerId !== containerId) return;
        cleanup();
        resolve(connection.instanceId);
      };
      const onExit = (): void => {
        cleanup();
        reject(new ContainerStartError(containerId, 'waiting for the agent', 'the container stopped'));
      };
      const timer = setTimeout(() => {
        cleanup();
        const log = container?.log().slice(-2000) ?? '';
        reject(
          new ContainerStartError(
            containerId,
            'waiting for the agent',
            `no control channel after ${timeoutMs} ms. Container log:\n${log}`,
          ),
        );
      }, timeoutMs);
      this.hub.on('connected', onConnected);
      container?.once('exit', onExit);
    });
  }

  /** Starts the containers of the scenario's `ssh` declarations; resolves once built-in nodes are up. */
  async startDeclared(scenario: Scenario): Promise<void> {
    const started = await startDeclaredContainers(this.emulator, this, scenario, (task) => this.track(task));
    this.declared.push(...started);
    pipeDeclaredJobLogs(this.emulator, started);
    if (started.length > 0) await this.installSessions();
  }

  /**
   * Adds StartSession/ResumeSession/TerminateSession and the data channel, routed by `resolveTarget`.
   * Done automatically when the scenario declares SSH containers.
   */
  async installSessions(): Promise<SessionRegistry> {
    if (this.sessionRegistry) return this.sessionRegistry;
    const { installSsmSessions } = await import('../datachannel/ssmSessionOperations');
    this.sessionRegistry = installSsmSessions(this.emulator, {
      resolveTarget: this.resolveTarget,
      startOnAgent: (task) => this.startOnAgent(task),
    });
    return this.sessionRegistry;
  }

  /**
   * Sends a session to the instance's AWS agent over its control channel (interactive_shell); the
   * agent dials `localhost:<portNumber>` in its container's own network.
   */
  private startOnAgent(session: AgentSessionStart): boolean {
    const task = { ...session, target: this.instanceForTarget(session.target) };
    const kind = this.hub.connection(task.target)?.kind;
    // Only a stand-in container's session goes to the fake agent. Anything else without AWS's agent on
    // its control channel (denied, not running, or no container at all) cannot take a session,
    // whatever its heartbeats say, so no test reaches the fake agent by accident.
    if (kind === 'stand-in') return false;
    if (kind !== 'mgs')
      throw new SessionServiceError('TargetNotConnected', `${task.target} is not connected.`);
    return this.hub.sendBinary(
      task.target,
      interactiveShellFrame({
        ...task,
        owner: this.emulator.state.identities.default.arn,
        runAsUser: this.emulator.state.nativeTargets.get(session.target)?.runAsUser,
      }),
    );
  }

  /** Keeps a background task (an entry script's lifecycle) so that close() waits for it. */
  track<T>(task: Promise<T>): void {
    const tracked = task.catch(() => undefined).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  /** Stops every container (their agents disconnect: instances go ConnectionLost) and removes the sandboxes. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.entries.values()].map((entry) => entry.container.stop()));
      await Promise.all([...this.background]);
      this.sessionRegistry?.dispose();
      this.hub.close();
    })();
    return this.closing;
  }

  private roleIdentityFor(spec: ManagedContainerSpec): string {
    const identities = this.emulator.state.identities;
    if (spec.roleIdentity !== undefined) {
      if (!identities.named(spec.roleIdentity)) {
        throw new ContainerStartError(spec.id, 'start', `no scenario identity named ${spec.roleIdentity}`);
      }
      return spec.roleIdentity;
    }
    const session = identities.all().find((identity) => isSessionOfRole(identity, 'SageMakerExecutionRole'));
    if (!session) {
      throw new ContainerStartError(
        spec.id,
        'start',
        'the scenario has no identity for the execution role (arn:aws:sts::<account>:assumed-role/SageMakerExecutionRole/<session>); add one or pass roleIdentity',
      );
    }
    return session.name;
  }

  private roleArnOf(identityName: string): string {
    const identity = this.emulator.state.identities.named(identityName)!;
    const [, role] = identity.arn.split(':')[5]?.split('/') ?? [];
    return role ? this.emulator.state.arns.role(role) : identity.arn;
  }

  private serveCredentials(request: IncomingMessage, response: ServerResponse): void {
    const id = decodeURIComponent((request.url ?? '').split('?')[0]!.slice(CREDENTIALS_PREFIX.length));
    const entry = this.entries.get(id);
    const reply = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      response.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      response.end(text);
    };
    if (request.method !== 'GET') return reply(405, { code: 'MethodNotAllowed', message: 'Use GET' });
    if (!entry) return reply(404, { code: 'NotFound', message: `No container ${id}` });
    if (request.headers.authorization !== entry.token) {
      return reply(401, {
        code: 'Unauthorized',
        message: 'The Authorization header does not match AWS_CONTAINER_AUTHORIZATION_TOKEN',
      });
    }
    const identity = this.emulator.state.identities.named(entry.roleIdentity)!;
    const expiration = new Date(this.emulator.state.now().getTime() + CREDENTIALS_LIFETIME_MS);
    reply(200, {
      RoleArn: this.roleArnOf(entry.roleIdentity),
      AccessKeyId: identity.accessKeyId,
      SecretAccessKey: identity.secretAccessKey,
      ...(identity.sessionToken ? { Token: identity.sessionToken } : {}),
      Expiration: expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
  }
}
