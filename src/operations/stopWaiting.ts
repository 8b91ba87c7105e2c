import type { AwsConnection } from '../aws/awsAccess';
import {
  NOTHING_WAITS_STATUS,
  stopWaitingIfWaitingScript,
  stopWaitingScript,
} from '../connect/remoteScripts';
import { runShellScript } from '../connect/shellScript';
import { withRemoteDebugDiagnosis } from '../connect/remoteDebugErrors';
import { ShellScriptFailedError } from '../connect/shellScriptErrors';
import { SsmApi } from '../ssm/ssmApi';
import type { RemoteDebugNodeTarget } from '../targets/remoteDebugNode';
import { remoteDebugSsmTarget } from '../targets/remoteDebugNode';
import { checkJobRunning } from '../connect/resolveTarget';
import { runShellCommand } from '../connect/runShellCommand';
import { findTargetInstances } from '../instances/targetInstances';
import type { SshNode } from '../instances/matchSshNodes';
import { sshNodesFor } from '../instances/matchSshNodes';
import { isOnline } from '../instances/sshInstance';
import type { SshTarget } from '../targets/sshTarget';
import { nodeNameOf, targetResourceName } from '../targets/sshTarget';
import { targetAlias } from '../targets/targetAlias';
import type { Logger } from '../util/logger';
import { NoOnlineNodeError, NothingWaitsError } from './operationErrors';

/** What Stop Waiting did on one node. */
export interface StopWaitingResult {
  readonly node: string;
  readonly instanceId: string;
  readonly ok: boolean;
  /** The container's output, or what went wrong (translated, with advice). */
  readonly message: string;
  /** The error's code when `ok` is false. */
  readonly code?: string;
}

export interface StopWaitingRequest {
  /** A job (every Online node), a node of one (that node only), or a Studio app. */
  readonly target: SshTarget;
  /** The registrations a view showed for the target: used as they are, without a lookup. */
  readonly seen?: { readonly nodes: readonly SshNode[] };
  /** Asked with the node names about to be released; false cancels (the result is undefined). */
  readonly confirm?: (nodes: readonly string[]) => Promise<boolean>;
  readonly logger: Logger;
}

async function registeredNodes(
  connection: AwsConnection,
  request: StopWaitingRequest,
): Promise<readonly SshNode[]> {
  if (request.seen) {
    return request.seen.nodes;
  }
  const [instances, identity] = await Promise.all([
    findTargetInstances(connection, request.target),
    connection.identity(),
  ]);
  return sshNodesFor(request.target, instances, identity.userId, (message) => request.logger.warn(message));
}

async function onlineNodes(connection: AwsConnection, request: StopWaitingRequest): Promise<SshNode[]> {
  const { target } = request;
  const wanted = nodeNameOf(target);
  const nodes = (await registeredNodes(connection, request))
    .filter((n) => isOnline(n.instance))
    .filter((n) => wanted === undefined || n.name === wanted);
  if (nodes.length > 0) {
    return nodes;
  }
  if (target.kind === 'trainingNode' && !request.seen) {
    // An unknown or finished job is the likelier mistake (a typo, another region): say that.
    await checkJobRunning(connection, target.jobName);
  }
  throw new NoOnlineNodeError(targetAlias(target), targetResourceName(target), connection.context.surface);
}

async function stopOn(connection: AwsConnection, node: SshNode, logger: Logger): Promise<StopWaitingResult> {
  const { instanceId } = node.instance;
  try {
    const ssm = await connection.clients.ssm();
    const out = await runShellCommand(ssm, {
      instanceId,
      purpose: 'Stop Waiting',
      lines: stopWaitingScript(),
      timeoutSeconds: 30,
    });
    return { node: node.name, instanceId, ok: true, message: out.stdout.trim() };
  } catch (error) {
    const translated = connection.translate(error);
    logger.info(`Stop Waiting on ${node.name} (${instanceId}): ${translated.message}`);
    return { node: node.name, instanceId, ok: false, message: translated.message, code: translated.code };
  }
}

/**
 * Stop Waiting on a remote-debug node: no Run Command reaches SageMaker's agent, so the flag file is
 * made over a shell session, and only if an sm-wait process waits (else NothingWaits, thrown: the
 * request was for that node alone).
 */
async function stopOnRemoteDebugNode(
  connection: AwsConnection,
  target: RemoteDebugNodeTarget,
): Promise<StopWaitingResult> {
  const ssmTarget = remoteDebugSsmTarget(target);
  const node = nodeNameOf(target) ?? 'algo-1';
  try {
    const api = await SsmApi.forConnection(connection);
    const result = await withRemoteDebugDiagnosis(connection, target, () =>
      runShellScript({
        api,
        target: ssmTarget,
        script: stopWaitingIfWaitingScript(),
        purpose: 'Stop Waiting',
      }),
    );
    return { node, instanceId: ssmTarget, ok: true, message: result.output.trim() };
  } catch (error) {
    if (error instanceof ShellScriptFailedError && error.exitCode === NOTHING_WAITS_STATUS) {
      throw new NothingWaitsError(`${node} of ${target.jobName}`);
    }
    throw connection.translate(error);
  }
}

/**
 * Releases training held in `sm-wait`: SSM Run Command creates /tmp/sm-wait-stopped (what
 * `sm-wait stop` does) on every Online node of the target at once, no ssh. One node failing does
 * not stop the others: the result has a line per node, and the caller reports each (the extension
 * in a notification, the CLI on stdout/stderr with exit status 1 if any failed). Throws
 * NoOnlineNodeError when no node is Online.
 */
export async function stopWaiting(
  connection: AwsConnection,
  request: StopWaitingRequest,
): Promise<StopWaitingResult[] | undefined> {
  if (request.target.kind === 'remoteDebugNode') {
    const name = nodeNameOf(request.target) ?? 'algo-1';
    if (request.confirm && !(await request.confirm([name]))) return undefined;
    return [await stopOnRemoteDebugNode(connection, request.target)];
  }
  const nodes = await onlineNodes(connection, request);
  if (request.confirm && !(await request.confirm(nodes.map((n) => n.name)))) {
    return undefined;
  }
  return Promise.all(nodes.map((node) => stopOn(connection, node, request.logger)));
}
