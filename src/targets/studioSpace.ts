import { InvalidHostAliasError } from './targetErrors';
import { decodeNameLabel, encodeNameLabel } from './nameLabel';
import { checkDomainId, checkSageMakerName, isDomainId } from './sagemakerNames';

/**
 * A Studio space (JupyterLab or Code Editor) with remote access, reached through
 * `sagemaker:StartSession` (the space ARN as ResourceIdentifier), not through our payload: SageMaker
 * runs the agent and sshd in the space's app, and IAM on StartSession decides who gets in.
 */
export interface StudioSpaceTarget {
  readonly kind: 'studioSpace';
  readonly domainId: string;
  readonly spaceName: string;
}

export const SPACE_ALIAS_SUFFIX = '.space.sagemaker';
/** Login user of a space's sshd: the app runs as sagemaker-user (what the AWS Toolkit connects as). */
export const SPACE_LOGIN_USER = 'sagemaker-user';
export const SPACE_HOME = '/home/sagemaker-user';

export function studioSpaceTarget(domainId: string, spaceName: string): StudioSpaceTarget {
  return { kind: 'studioSpace', domainId, spaceName };
}

/** `<space>.<domain>.space.sagemaker`: the name label encoding of the other aliases. */
export function spaceAlias(spaceName: string, domainId: string): string {
  const space = encodeNameLabel(checkSageMakerName('Studio space or user profile', spaceName));
  return `${space}.${checkDomainId(domainId)}${SPACE_ALIAS_SUFFIX}`;
}

/** The reverse of spaceAlias for the labels before SPACE_ALIAS_SUFFIX. */
export function parseSpaceLabels(alias: string, labels: readonly string[]): StudioSpaceTarget {
  if (labels.length !== 2) {
    throw new InvalidHostAliasError(alias, 'a space alias is <space>.<domain>.space.sagemaker');
  }
  const spaceName = decodeNameLabel(labels[0]);
  if (spaceName === undefined) {
    throw new InvalidHostAliasError(alias, `"${labels[0]}" is not a valid space label`);
  }
  if (!isDomainId(labels[1])) {
    throw new InvalidHostAliasError(alias, `"${labels[1]}" is not a Studio domain id like d-xxxxxxxxxxxx`);
  }
  return studioSpaceTarget(labels[1], spaceName);
}

/** `arn:<partition>:sagemaker:<region>:<account>:space/<domain>/<space>`: StartSession's ResourceIdentifier. */
export function studioSpaceArn(
  target: StudioSpaceTarget,
  partition: string,
  region: string,
  account: string,
): string {
  return `arn:${partition}:sagemaker:${region}:${account}:space/${target.domainId}/${target.spaceName}`;
}

export function describeSpace(target: StudioSpaceTarget): string {
  return `Studio space "${target.spaceName}" in ${target.domainId}`;
}
