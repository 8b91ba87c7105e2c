import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { InvalidLifecycleConfigNameError, LifecycleConfigTooLargeError } from './errors';
import type { PayloadLocation } from './payloadLocation';
import { locatePayload } from './payloadLocation';
import { shellQuote } from '../util/shellQuote';

/** The Studio app types of spaces (new Studio) that a lifecycle configuration can target. */
export const STUDIO_LIFECYCLE_APP_TYPES = ['JupyterLab', 'CodeEditor'] as const;
export type StudioLifecycleAppType = (typeof STUDIO_LIFECYCLE_APP_TYPES)[number];

/** SageMaker's limit on StudioLifecycleConfigContent (base64 characters). */
export const MAX_LIFECYCLE_CONFIG_CONTENT = 16_384;

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

export interface LifecycleConfigParams {
  /** The aws:userid of whoever connects; empty keeps the space's ~/.sm-ssh-owner. */
  readonly ownerUserId?: string;
  /** Where the payload archive was uploaded (s3://bucket/key). */
  readonly payloadS3Uri: string;
  /** Hex SHA-256 of that archive. */
  readonly payloadSha256: string;
  /** The bucket's region (used when the app's environment names none). */
  readonly payloadRegion: string;
  /** sm-aws-call from the payload: fetches the archive on images without the AWS CLI. */
  readonly awsCall: Buffer;
}

/** What a lifecycle configuration is made from, read from the payload. */
export interface LifecycleConfigSources {
  readonly template: string;
  readonly awsCall: Buffer;
}

/** A shell single-quoted word; the values we put in the script never contain a line break. */
function scriptValue(value: string): string {
  if (/[\r\n\0]/.test(value)) {
    throw new Error(`a lifecycle configuration value cannot contain a line break: ${JSON.stringify(value)}`);
  }
  return shellQuote(value);
}

function setVariable(script: string, name: string, value: string): string {
  const line = new RegExp(`^${name}=''$`, 'm');
  if (!line.test(script)) {
    throw new Error(`the lifecycle configuration template has no "${name}=''" line`);
  }
  return script.replace(line, () => `${name}=${scriptValue(value)}`);
}

/** The Studio lifecycle configuration script with the owner and the payload's location filled in. */
export function lifecycleConfigScript(template: string, params: LifecycleConfigParams): string {
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]*\/[\w./-]+$/.test(params.payloadS3Uri)) {
    throw new Error(`not an s3://bucket/key URI: ${params.payloadS3Uri}`);
  }
  if (!/^[0-9a-f]{64}$/.test(params.payloadSha256)) {
    throw new Error(`not a hex SHA-256: ${params.payloadSha256}`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(params.payloadRegion)) {
    throw new Error(`not an AWS region: ${params.payloadRegion}`);
  }
  let script = setVariable(template, 'LOCAL_USER_ID', params.ownerUserId ?? '');
  script = setVariable(script, 'PAYLOAD_S3_URI', params.payloadS3Uri);
  script = setVariable(script, 'PAYLOAD_SHA256', params.payloadSha256);
  script = setVariable(script, 'PAYLOAD_REGION', params.payloadRegion);
  return setVariable(script, 'AWS_CALL', gzipSync(params.awsCall, { level: 9 }).toString('base64'));
}

export async function readLifecycleTemplate(payload: PayloadLocation = locatePayload()): Promise<string> {
  return fs.readFile(payload.lifecycleTemplate, 'utf8');
}

export async function readLifecycleConfigSources(
  payload: PayloadLocation = locatePayload(),
): Promise<LifecycleConfigSources> {
  return {
    template: await readLifecycleTemplate(payload),
    awsCall: await fs.readFile(path.join(payload.packageDir, 'sm-aws-call')),
  };
}

/** StudioLifecycleConfigContent: the script, base64-encoded, within SageMaker's size limit. */
export function lifecycleConfigContent(script: string): string {
  const content = Buffer.from(script, 'utf8').toString('base64');
  if (content.length > MAX_LIFECYCLE_CONFIG_CONTENT) {
    throw new LifecycleConfigTooLargeError(content.length, MAX_LIFECYCLE_CONFIG_CONTENT);
  }
  return content;
}

/** The reason SageMaker would refuse a StudioLifecycleConfigName, or undefined if it is fine. */
export function lifecycleConfigNameProblem(name: string): string | undefined {
  if (name.length === 0) {
    return 'it is empty';
  }
  if (name.length > 63) {
    return `it is ${name.length} characters long`;
  }
  if (!NAME.test(name)) {
    const bad = [...name].find((c) => !/[a-zA-Z0-9-]/.test(c));
    return bad !== undefined ? `${JSON.stringify(bad)} is not allowed` : 'it starts or ends with a hyphen';
  }
  return undefined;
}

export function checkLifecycleConfigName(name: string): string {
  const problem = lifecycleConfigNameProblem(name);
  if (problem) {
    throw new InvalidLifecycleConfigNameError(name, problem);
  }
  return name;
}

/** A default name: sagemaker-ssh-jupyterlab, sagemaker-ssh-codeeditor. */
export function defaultLifecycleConfigName(appType: StudioLifecycleAppType): string {
  return `sagemaker-ssh-${appType.toLowerCase()}`;
}
