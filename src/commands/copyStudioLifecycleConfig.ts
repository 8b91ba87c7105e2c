import * as vscode from 'vscode';
import type { AwsConnection } from '../aws/awsAccess';
import { createStudioLifecycleConfig } from '../payload/createLifecycleConfig';
import type { StudioLifecycleAppType } from '../payload/lifecycleConfig';
import {
  defaultLifecycleConfigName,
  lifecycleConfigContent,
  lifecycleConfigNameProblem,
  lifecycleConfigScript,
  readLifecycleConfigSources,
} from '../payload/lifecycleConfig';
import { payloadArchive } from '../payload/payloadArchive';
import { locatePayload } from '../payload/payloadLocation';
import type { PublishedPayload } from '../payload/publishPayload';
import { publishPayload } from '../payload/publishPayload';
import { UserFacingError } from '../util/errors';
import type { Logger } from '../util/logger';
import type { AwsState } from '../vscode/awsState';
import { connectSettings } from '../vscode/connectSettings';
import { payloadBucketOf } from './payloadBucket';

export interface CopyLifecycleConfigDependencies {
  readonly aws: AwsState;
  readonly logger: Logger;
  /** The extension's folder (context.extensionPath), where media/remote is. */
  readonly extensionPath?: string;
}

export interface CopyLifecycleConfigOptions {
  /** Create it in SageMaker for this app type without asking; false: only copy. */
  readonly create?: StudioLifecycleAppType | false;
  /** The configuration's name; skips the input box. */
  readonly name?: string;
}

export interface CopyLifecycleConfigResult {
  readonly script: string;
  readonly payload: PublishedPayload;
  readonly created?: {
    readonly name: string;
    readonly arn: string;
    readonly appType: StudioLifecycleAppType;
  };
}

const CREATE_CHOICES: Record<string, StudioLifecycleAppType> = {
  'Create for JupyterLab': 'JupyterLab',
  'Create for Code Editor': 'CodeEditor',
};

async function awsCall<T>(connection: AwsConnection, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof UserFacingError ? error : connection.translate(error);
  }
}

async function chooseAppType(
  options: CopyLifecycleConfigOptions,
  owner: string,
): Promise<StudioLifecycleAppType | undefined> {
  if (options.create !== undefined) {
    return options.create || undefined;
  }
  const choice = await vscode.window.showInformationMessage(
    `Studio lifecycle configuration copied to the clipboard: it sets up SSH in a space's app, for ${owner}. ` +
      'Create it in SageMaker now?',
    ...Object.keys(CREATE_CHOICES),
  );
  return choice ? CREATE_CHOICES[choice] : undefined;
}

async function chooseName(
  options: CopyLifecycleConfigOptions,
  appType: StudioLifecycleAppType,
): Promise<string | undefined> {
  if (options.name !== undefined) {
    return options.name;
  }
  return vscode.window.showInputBox({
    title: `Name of the ${appType} lifecycle configuration`,
    value: defaultLifecycleConfigName(appType),
    validateInput: (value) => lifecycleConfigNameProblem(value),
  });
}

/**
 * "Copy Studio Lifecycle Configuration": uploads the payload to S3 (lifecycle configurations are
 * limited to 16 KB), copies a script that fetches, checks and runs it to the clipboard, and offers to
 * create it with CreateStudioLifecycleConfig for JupyterLab or Code Editor spaces.
 */
export async function copyStudioLifecycleConfig(
  deps: CopyLifecycleConfigDependencies,
  options: CopyLifecycleConfigOptions = {},
): Promise<CopyLifecycleConfigResult> {
  const connection = await deps.aws.connection();
  const identity = await awsCall(connection, () => connection.identity());
  const location = locatePayload(deps.extensionPath);
  const bucket = payloadBucketOf(connectSettings().keysS3Prefix, connection.clients.region, identity.account);
  const payload = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `SageMaker SSH: uploading the SSH helper to s3://${bucket}`,
    },
    async () => {
      const archive = await payloadArchive(location);
      const s3 = await connection.clients.s3();
      return awsCall(connection, () => publishPayload(s3, bucket, archive));
    },
  );
  deps.logger.info(
    `Studio lifecycle configuration: payload ${payload.uri} (${payload.uploaded ? 'uploaded' : 'already there'})`,
  );
  const sources = await readLifecycleConfigSources(location);
  const script = lifecycleConfigScript(sources.template, {
    ownerUserId: identity.userId,
    payloadS3Uri: payload.uri,
    payloadSha256: payload.sha256,
    payloadRegion: connection.clients.region,
    awsCall: sources.awsCall,
  });
  lifecycleConfigContent(script);
  await vscode.env.clipboard.writeText(script);
  const appType = await chooseAppType(options, identity.userId);
  if (!appType) {
    return { script, payload };
  }
  const name = await chooseName(options, appType);
  if (!name) {
    return { script, payload };
  }
  const sagemaker = await connection.clients.sagemaker();
  const arn = await awsCall(connection, () =>
    createStudioLifecycleConfig(sagemaker, { name, script, appType }),
  );
  void vscode.window.showInformationMessage(
    `Created the ${appType} lifecycle configuration "${name}". Attach it to your domain or space ` +
      "(SageMaker console: the domain's Environment tab), pick it for the space, and restart the app.",
  );
  return { script, payload, created: { name, arn, appType } };
}
