// Stand-in agent: the demo's fallback without shared/peers (demoEnvironment.mjs); tested by runtime, network.
import { hostname, networkInterfaces } from 'node:os';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import {
  CONTROL_CHANNEL_PREFIX,
  parseMessage,
  type AgentToEmulator,
  type EmulatorToAgent,
  type RunCommandMessage,
} from '../agentProtocol';
import { signedHeaders, ssmCall, ssmEndpoint, type AwsCredentials } from './awsRequest';
import { containerCredentials } from './credentials';
import { readIdentity, type AgentIdentity } from './identity';
import { agentLog } from './log';
import { runScript, type RunningScript } from './runScript';

export const AGENT_VERSION = '3.3.1802.0';
const HEARTBEAT_MS = 60_000;

function platform(): { name: string; version: string } {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const field = (key: string): string | undefined =>
      new RegExp(`^${key}="?([^"\\n]*)"?$`, 'm').exec(release)?.[1];
    return { name: field('NAME') ?? 'Linux', version: field('VERSION_ID') ?? '' };
  } catch {
    return { name: 'Linux', version: '' };
  }
}

function ipAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const address = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (address) return address.address;
  }
  return '127.0.0.1';
}

/**
 * The agent's long-running mode: reports itself Online (UpdateInstanceInformation), keeps a control
 * channel open to the service, and runs the commands it is sent. Returns when stopped (SIGTERM/SIGINT).
 */
export class AgentDaemon {
  private socket: WebSocket | undefined;
  private stopped = false;
  private readonly running = new Map<string, RunningScript>();
  private credentials: AwsCredentials | undefined;

  constructor(private readonly identity: AgentIdentity) {}

  static fromRegistration(): AgentDaemon {
    const identity = readIdentity();
    if (!identity) {
      throw new Error(
        'failed to find agent identity: this container is not registered; run "amazon-ssm-agent -register -id <ActivationId> -code <ActivationCode> -region <region>" first',
      );
    }
    return new AgentDaemon(identity);
  }

  async run(): Promise<void> {
    agentLog('INFO', `amazon-ssm-agent - v${AGENT_VERSION} (stand-in of the AWS emulator)`);
    agentLog('INFO', `Starting Core Agent for managed instance ${this.identity.ManagedInstanceID}`);
    const stop = (): void => this.stop();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    const heartbeat = setInterval(() => void this.heartbeat().catch(() => undefined), HEARTBEAT_MS);
    try {
      for (let attempt = 0; !this.stopped; attempt++) {
        try {
          this.credentials = await containerCredentials();
          await this.heartbeat();
          await this.holdControlChannel();
          attempt = 0;
        } catch (error) {
          if (this.stopped) break;
          agentLog('WARN', `Control channel unavailable: ${(error as Error).message}`);
        }
        if (!this.stopped) await sleep(Math.min(200 * 2 ** attempt, 5000));
      }
    } finally {
      clearInterval(heartbeat);
    }
    agentLog('INFO', 'Stopping Core Agent');
  }

  private stop(): void {
    this.stopped = true;
    for (const script of this.running.values()) script.cancel();
    this.socket?.close(1000, 'agent stopping');
  }

  private endpoint(): URL {
    return ssmEndpoint(this.identity.Endpoint);
  }

  private async heartbeat(): Promise<void> {
    if (!this.credentials) return;
    const os = platform();
    await ssmCall(
      this.endpoint(),
      'UpdateInstanceInformation',
      {
        InstanceId: this.identity.ManagedInstanceID,
        AgentVersion: AGENT_VERSION,
        AgentStatus: 'Active',
        AgentName: 'amazon-ssm-agent',
        PlatformType: 'Linux',
        PlatformName: os.name,
        PlatformVersion: os.version,
        ComputerName: hostname(),
        IPAddress: ipAddress(),
      },
      this.identity.Region,
      this.credentials,
    );
  }

  /** Opens the control channel and resolves when it closes. */
  private async holdControlChannel(): Promise<void> {
    const base = this.endpoint();
    const url = new URL(`${CONTROL_CHANNEL_PREFIX}${this.identity.ManagedInstanceID}`, base);
    const headers = await signedHeaders(url, 'GET', {}, '', {
      credentials: this.credentials!,
      region: this.identity.Region,
      service: 'ssmmessages',
    });
    url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    await new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      this.socket = socket;
      let opened = false;
      socket.once('open', () => {
        opened = true;
        agentLog('INFO', 'Control channel connected');
        this.send({
          type: 'hello',
          containerId: process.env.SM_EMULATOR_CONTAINER_ID,
          agentVersion: AGENT_VERSION,
        });
      });
      socket.on('message', (data) => this.onMessage(String(data)));
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`the control channel was refused with HTTP ${response.statusCode}`)),
      );
      socket.once('error', (error) => {
        if (!opened) reject(error);
      });
      socket.once('close', () => {
        if (opened) agentLog('INFO', 'Control channel closed');
        resolve();
      });
    });
  }

  private onMessage(data: string): void {
    const message = parseMessage<EmulatorToAgent>(data, ['runCommand', 'cancelCommand']);
    if (message?.type === 'runCommand') this.runCommand(message);
    if (message?.type === 'cancelCommand') this.running.get(message.commandId)?.cancel();
  }

  private runCommand(message: RunCommandMessage): void {
    if (this.running.has(message.commandId)) return;
    agentLog('INFO', `[${message.commandId}] Running aws:runShellScript`);
    const script = runScript(message, this.identity.ManagedInstanceID, this.identity.Region);
    this.running.set(message.commandId, script);
    this.send({ type: 'commandStarted', commandId: message.commandId });
    void script.finished.then((result) => {
      this.running.delete(message.commandId);
      agentLog('INFO', `[${message.commandId}] ${result.outcome}, exit code ${result.exitCode}`);
      this.send(result);
    });
  }

  private send(message: AgentToEmulator): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
