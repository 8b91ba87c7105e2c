import type { Emulator } from '../emulator';
import { isSessionOfRole, roleNameOf } from '../scenario/executionRoles';
import type { Scenario } from '../scenario/types';
import type { ClusterNodeRecord, ClusterRecord } from '../stores/clusters';
import type { DeclaredNode } from './declared';
import type { ContainerManager } from './manager';
import type { ContainerUser } from './sandbox';

/** The login user of HyperPod's Slurm nodes (AWS's base lifecycle scripts), as in the DLAMI. */
export const HYPERPOD_UBUNTU_USER: ContainerUser = {
  name: 'ubuntu',
  uid: 1000,
  gid: 100,
  home: '/home/ubuntu',
};

/** `sagemaker-cluster:<cluster-id>_<instance-group>-<instance-id>`, as HyperPod names a node for SSM. */
export function hyperPodTarget(cluster: ClusterRecord, node: ClusterNodeRecord): string {
  return `sagemaker-cluster:${cluster.id}_${node.instanceGroupName}-${node.instanceId}`;
}

/** HyperPod node hostnames are the instance's private DNS name: `ip-10-1-2-3`. */
function hostnameOf(node: ClusterNodeRecord): string {
  return `ip-${node.privateIp.replaceAll('.', '-')}`;
}

/**
 * The containers of scenario cluster nodes with `container: true` (Running ones only): SageMaker's
 * agent answering the node's `sagemaker-cluster:` target, a user `ubuntu` (shell sessions run as
 * it), and sshd on its port 22, reading `~/.ssh/authorized_keys` as a stock sshd does.
 */
export function startHyperPodNodes(
  emulator: Emulator,
  manager: ContainerManager,
  scenario: Scenario,
): Promise<DeclaredNode>[] {
  const starts: Promise<DeclaredNode>[] = [];
  for (const spec of scenario.sagemaker?.clusters ?? []) {
    const cluster = emulator.state.clusters.find(spec.name)!;
    for (const node of cluster.nodes) {
      if (!node.container || node.status !== 'Running') continue;
      const group = cluster.instanceGroups.find((candidate) => candidate.name === node.instanceGroupName);
      const roleName = roleNameOf(group?.executionRole);
      const role = emulator.state.identities.all().find((identity) => isSessionOfRole(identity, roleName));
      starts.push(startNode(manager, cluster, node, role?.name));
    }
  }
  return starts;
}

async function startNode(
  manager: ContainerManager,
  cluster: ClusterRecord,
  node: ClusterNodeRecord,
  roleIdentity: string | undefined,
): Promise<DeclaredNode> {
  const target = hyperPodTarget(cluster, node);
  const hostname = hostnameOf(node);
  const started = await manager.startNativeNode({
    id: `${cluster.name}-${node.instanceId}`,
    hostname,
    env: {},
    users: [HYPERPOD_UBUNTU_USER],
    roleIdentity,
    targets: [target],
    // HyperPod's sessions start as root (AWS's docs: then `sudo su - ubuntu`). AWS's agent refuses
    // RunAs root ("invalid uid and gid") and ssm-user could not write ubuntu's keys without sudo
    // (not in the image), so here sessions run as ubuntu: a user that may write those keys, as root may.
    runAsUser: HYPERPOD_UBUNTU_USER.name,
  });
  const { container } = started;
  const configured = await container.exec(
    "sed -i 's|^AuthorizedKeysFile .*|AuthorizedKeysFile .ssh/authorized_keys|' /etc/ssh/sshd_config",
  );
  if (configured.code !== 0) throw new Error(`configuring sshd in ${container.id}: ${configured.stderr}`);
  await container.startSshd();
  return {
    kind: 'hyperpod-node',
    resourceName: cluster.name,
    resourceArn: cluster.arn,
    host: hostname,
    user: HYPERPOD_UBUNTU_USER.name,
    container,
    instanceId: started.instanceId,
    nativeTarget: target,
  };
}
