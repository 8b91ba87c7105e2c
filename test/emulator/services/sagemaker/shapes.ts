import type { AppRecord, DomainRecord, SpaceRecord, UserProfileRecord } from '../../stores/studio';
import type { TrainingJobRecord } from '../../stores/trainingJobs';

/** Record → API shape conversions. Absent members are left undefined (omitted on the wire). */

/** DescribeTrainingJob's response. */
export function trainingJobDescription(job: TrainingJobRecord): Record<string, unknown> {
  const seconds = trainingSeconds(job);
  return {
    TrainingJobName: job.name,
    TrainingJobArn: job.arn,
    ModelArtifacts:
      job.status === 'Completed'
        ? { S3ModelArtifacts: `${job.outputPath}${job.name}/output/model.tar.gz` }
        : undefined,
    TrainingJobStatus: job.status,
    SecondaryStatus: job.secondaryStatus,
    FailureReason: job.failureReason,
    HyperParameters: job.hyperParameters,
    AlgorithmSpecification: {
      TrainingImage: job.algorithmName === undefined ? job.trainingImage : undefined,
      AlgorithmName: job.algorithmName,
      TrainingInputMode: 'File',
      EnableSageMakerMetricsTimeSeries: false,
    },
    RoleArn: job.roleArn,
    InputDataConfig: [
      {
        ChannelName: 'training',
        DataSource: {
          S3DataSource: {
            S3DataType: 'S3Prefix',
            S3Uri: `${job.outputPath}${job.name}/input/training`,
            S3DataDistributionType: 'FullyReplicated',
          },
        },
        CompressionType: 'None',
        RecordWrapperType: 'None',
      },
    ],
    OutputDataConfig: { KmsKeyId: '', S3OutputPath: job.outputPath, CompressionType: 'GZIP' },
    ResourceConfig: {
      InstanceType: job.instanceType,
      InstanceCount: job.instanceCount,
      VolumeSizeInGB: job.volumeSizeInGB,
      TrainingPlanArn: job.trainingPlanArn,
    },
    WarmPoolStatus: job.warmPoolStatus ? { Status: job.warmPoolStatus } : undefined,
    StoppingCondition: { MaxRuntimeInSeconds: job.maxRuntimeInSeconds },
    CreationTime: job.creationTime,
    TrainingStartTime: job.trainingStartTime,
    TrainingEndTime: job.trainingEndTime,
    LastModifiedTime: job.lastModifiedTime,
    SecondaryStatusTransitions: job.transitions.map((transition) => ({
      Status: transition.status,
      StartTime: transition.startTime,
      EndTime: transition.endTime,
      StatusMessage: transition.statusMessage,
    })),
    EnableNetworkIsolation: false,
    EnableInterContainerTrafficEncryption: false,
    EnableManagedSpotTraining: false,
    TrainingTimeInSeconds: seconds,
    BillableTimeInSeconds: seconds,
    Environment: job.environment,
    RemoteDebugConfig:
      job.remoteDebugEnabled === undefined ? undefined : { EnableRemoteDebug: job.remoteDebugEnabled },
  };
}

/**
 * Search's `TrainingJob` record: the description plus the job's tags, without RemoteDebugConfig,
 * which the Search shape does not have (botocore/SDK `TrainingJob`): only DescribeTrainingJob says.
 */
export function searchTrainingJob(job: TrainingJobRecord): Record<string, unknown> {
  const { RemoteDebugConfig: _notInSearch, ...description } = trainingJobDescription(job);
  return {
    ...description,
    Tags: Object.entries(job.tags).map(([Key, Value]) => ({ Key, Value })),
  };
}

function trainingSeconds(job: TrainingJobRecord): number | undefined {
  if (!job.trainingStartTime || !job.trainingEndTime) return undefined;
  return Math.max(0, Math.round((job.trainingEndTime.getTime() - job.trainingStartTime.getTime()) / 1000));
}

export function domainDetails(domain: DomainRecord): Record<string, unknown> {
  return {
    DomainArn: domain.arn,
    DomainId: domain.id,
    DomainName: domain.name,
    Status: domain.status,
    CreationTime: domain.creationTime,
    LastModifiedTime: domain.lastModifiedTime,
    Url: domain.url,
  };
}

export function domainDescription(domain: DomainRecord): Record<string, unknown> {
  return {
    ...domainDetails(domain),
    HomeEfsFileSystemId: domain.homeEfsFileSystemId,
    AuthMode: 'IAM',
    DefaultUserSettings: { ExecutionRole: domain.executionRole },
    AppNetworkAccessType: 'PublicInternetOnly',
    SubnetIds: domain.subnetIds,
    VpcId: domain.vpcId,
  };
}

export function userProfileDetails(profile: UserProfileRecord): Record<string, unknown> {
  return {
    DomainId: profile.domainId,
    UserProfileName: profile.name,
    Status: profile.status,
    CreationTime: profile.creationTime,
    LastModifiedTime: profile.lastModifiedTime,
  };
}

export function userProfileDescription(profile: UserProfileRecord): Record<string, unknown> {
  return {
    ...userProfileDetails(profile),
    UserProfileArn: profile.arn,
    HomeEfsFileSystemUid: profile.homeEfsFileSystemUid,
    UserSettings: profile.executionRole ? { ExecutionRole: profile.executionRole } : {},
  };
}

export function spaceDetails(space: SpaceRecord): Record<string, unknown> {
  return {
    DomainId: space.domainId,
    SpaceName: space.name,
    Status: space.status,
    CreationTime: space.creationTime,
    LastModifiedTime: space.lastModifiedTime,
    SpaceSettingsSummary: space.appType
      ? { AppType: space.appType, RemoteAccess: space.remoteAccess }
      : undefined,
    SpaceSharingSettingsSummary: { SharingType: space.sharingType },
    OwnershipSettingsSummary: space.ownerUserProfile
      ? { OwnerUserProfileName: space.ownerUserProfile }
      : undefined,
    SpaceDisplayName: space.displayName,
  };
}

export function spaceDescription(space: SpaceRecord): Record<string, unknown> {
  return {
    DomainId: space.domainId,
    SpaceArn: space.arn,
    SpaceName: space.name,
    HomeEfsFileSystemUid: space.homeEfsFileSystemUid,
    Status: space.status,
    LastModifiedTime: space.lastModifiedTime,
    CreationTime: space.creationTime,
    SpaceSettings: space.appType ? spaceSettings(space) : undefined,
    OwnershipSettings: space.ownerUserProfile ? { OwnerUserProfileName: space.ownerUserProfile } : undefined,
    SpaceSharingSettings: { SharingType: space.sharingType },
    SpaceDisplayName: space.displayName,
    Url: space.url,
  };
}

function resourceSpec(app: AppRecord): Record<string, unknown> {
  return { SageMakerImageArn: app.imageArn, InstanceType: app.instanceType };
}

/** ListApps entries: Studio Classic apps carry UserProfileName, space apps SpaceName. */
export function appDetails(app: AppRecord): Record<string, unknown> {
  return {
    DomainId: app.domainId,
    UserProfileName: app.ownerKind === 'userProfile' ? app.owner : undefined,
    SpaceName: app.ownerKind === 'space' ? app.owner : undefined,
    AppType: app.type,
    AppName: app.name,
    Status: app.status,
    CreationTime: app.creationTime,
    ResourceSpec: resourceSpec(app),
  };
}

export function appDescription(app: AppRecord): Record<string, unknown> {
  return {
    AppArn: app.arn,
    AppType: app.type,
    AppName: app.name,
    DomainId: app.domainId,
    UserProfileName: app.ownerKind === 'userProfile' ? app.owner : undefined,
    SpaceName: app.ownerKind === 'space' ? app.owner : undefined,
    Status: app.status,
    LastHealthCheckTimestamp: app.lastHealthCheckTimestamp,
    LastUserActivityTimestamp: app.lastUserActivityTimestamp,
    CreationTime: app.creationTime,
    FailureReason: app.failureReason,
    ResourceSpec: resourceSpec(app),
  };
}

function spaceSettings(space: SpaceRecord): Record<string, unknown> {
  const settingsKey = space.appType === 'CodeEditor' ? 'CodeEditorAppSettings' : 'JupyterLabAppSettings';
  return {
    AppType: space.appType,
    RemoteAccess: space.remoteAccess,
    ...(space.defaultInstanceType
      ? { [settingsKey]: { DefaultResourceSpec: { InstanceType: space.defaultInstanceType } } }
      : {}),
  };
}
