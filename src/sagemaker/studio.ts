import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { collectPages } from '../aws/collectPages';

export interface StudioDomain {
  readonly id: string;
  readonly name: string;
  readonly status?: string;
  readonly arn?: string;
}

/** A user profile owns Studio Classic apps; a space owns JupyterLab and Code Editor apps. */
export type StudioOwnerKind = 'userProfile' | 'space';

export interface StudioOwner {
  readonly kind: StudioOwnerKind;
  readonly domainId: string;
  readonly name: string;
  readonly status?: string;
  /** Spaces only: SpaceSettingsSummary.RemoteAccess (ListSpaces says it, no extra call). */
  readonly remoteAccess?: boolean;
}

export interface StudioApp {
  readonly domainId: string;
  readonly ownerKind: StudioOwnerKind;
  readonly ownerName: string;
  /** KernelGateway, JupyterServer (Studio Classic), JupyterLab, CodeEditor (spaces), … */
  readonly appType: string;
  readonly appName: string;
  /** Pending, InService, Deleting, Deleted or Failed. */
  readonly status: string;
  readonly creationTime?: Date;
  readonly instanceType?: string;
}

export interface StudioDomainContents {
  readonly owners: readonly StudioOwner[];
  readonly apps: readonly StudioApp[];
}

const STUDIO_MAX_PAGES = 20;

export async function listStudioDomains(sagemaker: SageMakerClient): Promise<StudioDomain[]> {
  const { ListDomainsCommand } = await import('@aws-sdk/client-sagemaker');
  const domains = await collectPages(STUDIO_MAX_PAGES, async (NextToken) => {
    const out = await sagemaker.send(new ListDomainsCommand({ NextToken, MaxResults: 100 }));
    return { items: out.Domains ?? [], nextToken: out.NextToken };
  });
  return domains
    .filter((d) => d.DomainId)
    .map((d) => ({ id: d.DomainId!, name: d.DomainName ?? d.DomainId!, status: d.Status, arn: d.DomainArn }));
}

async function listOwners(sagemaker: SageMakerClient, domainId: string): Promise<StudioOwner[]> {
  const { ListUserProfilesCommand, ListSpacesCommand } = await import('@aws-sdk/client-sagemaker');
  const [profiles, spaces] = await Promise.all([
    collectPages(STUDIO_MAX_PAGES, async (NextToken) => {
      const out = await sagemaker.send(
        new ListUserProfilesCommand({ DomainIdEquals: domainId, NextToken, MaxResults: 100 }),
      );
      return { items: out.UserProfiles ?? [], nextToken: out.NextToken };
    }),
    collectPages(STUDIO_MAX_PAGES, async (NextToken) => {
      const out = await sagemaker.send(
        new ListSpacesCommand({ DomainIdEquals: domainId, NextToken, MaxResults: 100 }),
      );
      return { items: out.Spaces ?? [], nextToken: out.NextToken };
    }),
  ]);
  return [
    ...profiles
      .filter((p) => p.UserProfileName)
      .map((p) => ({ kind: 'userProfile' as const, domainId, name: p.UserProfileName!, status: p.Status })),
    ...spaces
      .filter((s) => s.SpaceName)
      .map((s) => ({
        kind: 'space' as const,
        domainId,
        name: s.SpaceName!,
        status: s.Status,
        remoteAccess: s.SpaceSettingsSummary?.RemoteAccess === 'ENABLED',
      })),
  ];
}

async function listApps(sagemaker: SageMakerClient, domainId: string): Promise<StudioApp[]> {
  const { ListAppsCommand } = await import('@aws-sdk/client-sagemaker');
  const apps = await collectPages(STUDIO_MAX_PAGES, async (NextToken) => {
    const out = await sagemaker.send(
      new ListAppsCommand({ DomainIdEquals: domainId, NextToken, MaxResults: 100 }),
    );
    return { items: out.Apps ?? [], nextToken: out.NextToken };
  });
  const result: StudioApp[] = [];
  for (const app of apps) {
    const ownerName = app.SpaceName ?? app.UserProfileName;
    if (!app.AppName || !app.AppType || !ownerName) {
      continue;
    }
    result.push({
      domainId,
      ownerKind: app.SpaceName ? 'space' : 'userProfile',
      ownerName,
      appType: app.AppType,
      appName: app.AppName,
      status: app.Status ?? 'Unknown',
      creationTime: app.CreationTime,
      instanceType: app.ResourceSpec?.InstanceType,
    });
  }
  return result;
}

/** Everything under one domain with three list calls, however many profiles, spaces and apps. */
export async function listStudioDomainContents(
  sagemaker: SageMakerClient,
  domainId: string,
): Promise<StudioDomainContents> {
  const [owners, apps] = await Promise.all([listOwners(sagemaker, domainId), listApps(sagemaker, domainId)]);
  return { owners, apps };
}

export function studioAppArn(app: StudioApp, partition: string, region: string, account: string): string {
  return `arn:${partition}:sagemaker:${region}:${account}:app/${app.domainId}/${app.ownerName}/${app.appType.toLowerCase()}/${app.appName}`;
}

export function isPendingApp(app: StudioApp): boolean {
  return app.status === 'Pending' || app.status === 'Deleting';
}

/**
 * Whether an app belongs to a space or a user profile, which its alias does not say: an app of that
 * name (and type, if known) in the space of that name means a space, else a user profile (Studio
 * Classic). One ListApps call, filtered by SageMaker.
 */
export async function studioOwnerKind(
  sagemaker: SageMakerClient,
  app: {
    readonly domainId: string;
    readonly ownerName: string;
    readonly appName: string;
    readonly appType?: string;
  },
): Promise<StudioOwnerKind> {
  const { ListAppsCommand } = await import('@aws-sdk/client-sagemaker');
  const inSpace = await collectPages(STUDIO_MAX_PAGES, async (NextToken) => {
    const out = await sagemaker.send(
      new ListAppsCommand({
        DomainIdEquals: app.domainId,
        SpaceNameEquals: app.ownerName,
        NextToken,
        MaxResults: 100,
      }),
    );
    return { items: out.Apps ?? [], nextToken: out.NextToken };
  });
  const lower = (value: string | undefined): string => (value ?? '').toLowerCase();
  const found = inSpace.some(
    (a) =>
      lower(a.AppName) === lower(app.appName) &&
      (app.appType === undefined || lower(a.AppType) === lower(app.appType)),
  );
  return found ? 'space' : 'userProfile';
}
