import type { Emulator } from '../emulator';
import { isSessionOfRole, roleNameOf } from '../scenario/executionRoles';
import type { AppRecord, SpaceRecord, SpaceRuntime } from '../stores/studio';
import { appLayout } from './sagemakerEnvironment';

/** The script sshd asks for a user's keys: any key the client offers (see SpaceContainers). */
const KEYS_COMMAND = '/etc/ssh/sm-remote-access-keys';
const KEYS_SCRIPT =
  '#!/bin/sh\n# Remote access: sagemaker:StartSession authorised the caller.\nprintf "%s %s\\n" "$1" "$2"\n';
const SSHD_REMOTE_ACCESS = [
  '',
  '# Studio remote access (written by the AWS emulator): only sagemaker-user, and IAM on',
  '# sagemaker:StartSession is the authorisation, so any key the client offers is accepted.',
  'AllowUsers sagemaker-user',
  `AuthorizedKeysCommand ${KEYS_COMMAND} %t %k`,
  'AuthorizedKeysCommandUser root',
  '',
].join('\n');

interface RunningSpace {
  readonly containerId: string;
  readonly target: string;
}

/**
 * Runs the apps of spaces with remote access as simulated containers, the way SageMaker does: its
 * own agent (registered by the emulator, hidden from the customer, see nativeAgent.ts) answers a
 * native target `sagemaker-space:<domain>_<space>`, and sshd serves `sagemaker-user`. CreateApp
 * starts one (the app stays Pending until it is up), DeleteApp's Deleted stops it, and
 * sagemaker:StartSession opens an AWS-StartSSHSession-like session to its sshd through the relay.
 * Which key the client offers does not matter (the AWS Toolkit pushes none): sshd accepts any.
 * Install it with `installSpaceRuntime(emulator)`; without it, apps only change status.
 */
export class SpaceContainers implements SpaceRuntime {
  private readonly running = new Map<string, RunningSpace>();
  private started = 0;

  constructor(private readonly emulator: Emulator) {}

  static targetOf(app: AppRecord): string {
    return `sagemaker-space:${app.domainId}_${app.owner}`;
  }

  /** The container running a space's app (tests reach its log and files through it). */
  containerOf(app: AppRecord): string | undefined {
    return this.running.get(app.arn)?.containerId;
  }

  appCreated(app: AppRecord, space: SpaceRecord): void {
    if (space.remoteAccess !== 'ENABLED') return;
    this.emulator.state.studio.updateApp(app, (a) => (a.runtimeReady = false));
    this.emulator.containers.track(this.start(app));
  }

  appDeleted(app: AppRecord): void {
    const running = this.running.get(app.arn);
    if (!running) return;
    this.running.delete(app.arn);
    this.emulator.state.nativeTargets.unregister(running.target);
    const container = this.emulator.containers.get(running.containerId);
    if (container) this.emulator.containers.track(container.stop());
  }

  startSession(
    app: AppRecord,
    endpoint: string,
  ): { SessionId: string; StreamUrl: string; TokenValue: string } | undefined {
    const running = this.running.get(app.arn);
    const registry = this.emulator.containers.sessions;
    if (!running || !registry) return undefined;
    registry.setStreamEndpoint(endpoint.replace(/^http/, 'ws'));
    try {
      const { SessionId, StreamUrl, TokenValue } = registry.startSession({
        Target: running.target,
        DocumentName: 'AWS-StartSSHSession',
        Parameters: { portNumber: ['22'] },
      });
      return { SessionId, StreamUrl, TokenValue };
    } catch {
      return undefined;
    }
  }

  private async start(app: AppRecord): Promise<void> {
    const { state, containers } = this.emulator;
    const domain = state.studio.domain(app.domainId)!;
    const role = state.identities
      .all()
      .find((identity) => isSessionOfRole(identity, roleNameOf(domain.executionRole)));
    const layout = appLayout(app, domain, domain.executionRole);
    const target = SpaceContainers.targetOf(app);
    const id = `space-${app.domainId}-${app.owner}-${++this.started}`.toLowerCase();
    try {
      await containers.installSessions();
      const node = await containers.startNativeNode({
        id,
        hostname: layout.hostname,
        env: layout.env,
        files: { ...layout.files, [KEYS_COMMAND]: { content: KEYS_SCRIPT, mode: 0o755 } },
        users: layout.users,
        roleIdentity: role?.name,
        targets: [target],
      });
      const configured = await node.container.exec(
        `printf '%s' '${SSHD_REMOTE_ACCESS}' >> /etc/ssh/sshd_config`,
      );
      if (configured.code !== 0) throw new Error(`sshd_config: ${configured.stderr}`);
      await node.container.startSshd();
      this.running.set(app.arn, { containerId: id, target });
      state.studio.updateApp(app, (a) => (a.runtimeReady = true));
    } catch (error) {
      state.studio.updateApp(app, (a) => {
        a.status = 'Failed';
        (a as { failureReason?: string }).failureReason =
          `The space's container did not start: ${(error as Error).message}`;
      });
      await containers.get(id)?.stop();
    }
  }
}

export function installSpaceRuntime(emulator: Emulator): SpaceContainers {
  const runtime = new SpaceContainers(emulator);
  emulator.state.studio.runtime = runtime;
  return runtime;
}
