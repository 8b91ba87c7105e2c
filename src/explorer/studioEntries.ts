import type { AwsConnection } from '../aws/awsAccess';
import { findSshInstances } from '../instances/findSshInstances';
import { readinessOf, sshNodesFor } from '../instances/matchSshNodes';
import type { SshReadiness } from '../instances/matchSshNodes';
import type { StudioApp, StudioOwner } from '../sagemaker/studio';
import { listStudioDomainContents } from '../sagemaker/studio';
import { studioAppTarget } from '../targets/sshTarget';

export interface StudioAppEntry {
  readonly app: StudioApp;
  readonly readiness: SshReadiness;
}

export interface StudioOwnerEntry {
  readonly owner: StudioOwner;
  readonly apps: readonly StudioAppEntry[];
}

/** The user profiles and spaces of a domain with their apps and each app's SSH readiness. */
export async function listStudioOwnerEntries(
  connection: AwsConnection,
  domainId: string,
  options: { readonly showDeleted: boolean },
): Promise<StudioOwnerEntry[]> {
  const sagemaker = await connection.clients.sagemaker();
  const identity = connection.identity();
  const contents = await listStudioDomainContents(sagemaker, domainId);
  const apps = contents.apps.filter((a) => options.showDeleted || a.status !== 'Deleted');
  const instances = await findSshInstances(await connection.clients.ssm(), {
    resourceNames: [...new Set(apps.map((a) => a.appName))],
  });
  const checkedAt = Date.now();
  const callerUserId = (await identity).userId;
  const entries = (owner: StudioOwner): StudioAppEntry[] =>
    apps
      .filter((a) => a.ownerKind === owner.kind && a.ownerName === owner.name)
      .map((app) => ({
        app,
        readiness: readinessOf(sshNodesFor(studioAppTarget(app), instances, callerUserId), checkedAt),
      }));
  return contents.owners.map((owner) => ({ owner, apps: entries(owner) }));
}
