import type { SshTarget, TrainingNodeTarget } from './sshTarget';
import { InvalidHostAliasError } from './targetErrors';
import { decodeNameLabel, encodeNameLabel } from './nameLabel';
import { checkDomainId, checkSageMakerName, isDomainId } from './sagemakerNames';
import type { PayloadResourceTarget } from './payloadResource';
import { parsePayloadResourceAlias, payloadAliasType, payloadResourceAlias } from './payloadResource';
import type { HyperPodNodeTarget } from './hyperPodNode';
import { HYPERPOD_ALIAS_SUFFIX, hyperPodAlias, parseHyperPodLabels } from './hyperPodNode';
import type { RemoteDebugNodeTarget } from './remoteDebugNode';
import { REMOTE_DEBUG_ALIAS_SUFFIX, parseRemoteDebugLabels, remoteDebugAlias } from './remoteDebugNode';
import type { StudioSpaceTarget } from './studioSpace';
import { SPACE_ALIAS_SUFFIX, parseSpaceLabels, spaceAlias } from './studioSpace';

export const TRAINING_ALIAS_SUFFIX = '.training.sagemaker';
export const STUDIO_ALIAS_SUFFIX = '.studio.sagemaker';
/** Always points at the most recently connected training job node. */
export const STABLE_TRAINING_ALIAS = 'sagemaker-training';
/** Always points at the most recently connected Studio app. */
export const STABLE_STUDIO_ALIAS = 'sagemaker-studio';
/** Always points at the most recently connected HyperPod node. */
export const STABLE_HYPERPOD_ALIAS = 'sagemaker-hyperpod';
/** Always points at the most recently connected Studio space (remote access). */
export const STABLE_SPACE_ALIAS = 'sagemaker-space';

const MAX_NODE = 9999;

/** A Studio alias in one of upstream's shorter forms, which lack the space/user or the domain. */
export interface PartialStudioAlias {
  readonly kind: 'studioApp';
  readonly appName: string;
  readonly ownerName: string | undefined;
  readonly domainId: string | undefined;
  /** Set by the full forms; undefined (any type) in the shorter ones. */
  readonly appType: string | undefined;
}

/** The app type whose aliases carry no type label, as upstream's (v2.3: JupyterLab spaces only). */
export const DEFAULT_STUDIO_APP_TYPE = 'JupyterLab';

// SageMaker's AppType values; an alias carries one in lowercase. Unknown (future) types pass
// through lowercase, which still matches: registrations are compared case-insensitively.
const STUDIO_APP_TYPES = [
  'JupyterLab',
  'CodeEditor',
  'JupyterServer',
  'KernelGateway',
  'RStudioServerPro',
  'RSessionGateway',
  'TensorBoard',
  'DetailedProfiler',
  'Canvas',
];
const APP_TYPE_LABEL = /^[a-z][a-z0-9]*$/;

function appTypeLabel(appType: string): string {
  const label = appType.toLowerCase();
  if (!APP_TYPE_LABEL.test(label)) {
    throw new RangeError(`Studio app type must be letters and digits like CodeEditor, got "${appType}"`);
  }
  return label;
}

function appTypeOfLabel(label: string): string | undefined {
  if (!APP_TYPE_LABEL.test(label)) {
    return undefined;
  }
  return STUDIO_APP_TYPES.find((type) => type.toLowerCase() === label) ?? label;
}

export interface StableAlias {
  readonly kind: 'stable';
  readonly stableFor: SshTarget['kind'];
}

export type ParsedAlias = { readonly alias: string } & (
  | TrainingNodeTarget
  | PartialStudioAlias
  | StableAlias
  | StudioSpaceTarget
  | PayloadResourceTarget
  | HyperPodNodeTarget
  | RemoteDebugNodeTarget
);

function checkNode(node: number): number {
  if (!Number.isInteger(node) || node < 1 || node > MAX_NODE) {
    throw new RangeError(`training node must be an integer from 1 to ${MAX_NODE}, got ${node}`);
  }
  return node;
}

/** `<job>.training.sagemaker` for algo-1, `algo-<N>.<job>.training.sagemaker` for other nodes. */
export function trainingAlias(jobName: string, node = 1): string {
  const label = encodeNameLabel(checkSageMakerName('training job', jobName));
  const nodePrefix = checkNode(node) === 1 ? '' : `algo-${node}.`;
  return `${nodePrefix}${label}${TRAINING_ALIAS_SUFFIX}`;
}

/**
 * `<app>.<space-or-user>.<domain>.studio.sagemaker` for JupyterLab apps (upstream's form), and
 * `<app>.<type>.<space-or-user>.<domain>.studio.sagemaker` for every other type, so a JupyterLab and
 * a Code Editor app both named `default` in one space get different aliases.
 */
export function studioAlias(
  appName: string,
  ownerName: string,
  domainId: string,
  appType: string = DEFAULT_STUDIO_APP_TYPE,
): string {
  const app = encodeNameLabel(checkSageMakerName('Studio app', appName));
  const type = appTypeLabel(appType);
  const typeLabel = type === DEFAULT_STUDIO_APP_TYPE.toLowerCase() ? '' : `${type}.`;
  const space = encodeNameLabel(checkSageMakerName('Studio space or user profile', ownerName));
  return `${app}.${typeLabel}${space}.${checkDomainId(domainId)}${STUDIO_ALIAS_SUFFIX}`;
}

/**
 * The ssh host alias of a target: `<job>.training.sagemaker`, `algo-2.<job>…`,
 * `<app>.<owner>.<domain>.studio.sagemaker` (JupyterLab) or `<app>.<type>.<owner>.<domain>.studio.sagemaker`.
 * The one way the extension and the CLI name hosts; parseTargetAlias reads it back.
 */
export function targetAlias(target: SshTarget): string {
  if (target.kind === 'payloadResource') return payloadResourceAlias(target);
  if (target.kind === 'hyperPodNode') return hyperPodAlias(target);
  if (target.kind === 'remoteDebugNode') return remoteDebugAlias(target);
  if (target.kind === 'studioSpace') return spaceAlias(target.spaceName, target.domainId);
  return target.kind === 'trainingNode'
    ? trainingAlias(target.jobName, target.node)
    : studioAlias(target.appName, target.ownerName, target.domainId, target.appType);
}

/** sagemaker-training or sagemaker-studio: the alias that follows the last connected target of a kind. */
export function stableAliasFor(kind: SshTarget['kind']): string | undefined {
  if (kind === 'payloadResource' || kind === 'remoteDebugNode') return undefined;
  if (kind === 'hyperPodNode') return STABLE_HYPERPOD_ALIAS;
  if (kind === 'studioSpace') return STABLE_SPACE_ALIAS;
  return kind === 'trainingNode' ? STABLE_TRAINING_ALIAS : STABLE_STUDIO_ALIAS;
}

function decodeLabel(alias: string, label: string, what: string): string {
  const name = decodeNameLabel(label);
  if (name === undefined) {
    throw new InvalidHostAliasError(alias, `"${label}" is not a valid ${what} label`);
  }
  return name;
}

function parseNodeLabel(alias: string, label: string): number {
  const match = /^algo-([1-9][0-9]{0,3})$/.exec(label);
  if (match === null) {
    throw new InvalidHostAliasError(alias, `"${label}" is not a node label like algo-2`);
  }
  const node = Number(match[1]);
  if (node === 1) {
    throw new InvalidHostAliasError(alias, `algo-1 is written without a node label: ${alias.slice(7)}`);
  }
  return node;
}

function parseTraining(alias: string, labels: string[]): ParsedAlias {
  if (labels.length === 1) {
    return { alias, kind: 'trainingNode', jobName: decodeLabel(alias, labels[0], 'training job') };
  }
  if (labels.length === 2) {
    const node = parseNodeLabel(alias, labels[0]);
    return { alias, kind: 'trainingNode', jobName: decodeLabel(alias, labels[1], 'training job'), node };
  }
  throw new InvalidHostAliasError(alias, 'a training alias has the job name and at most a node label');
}

function parseDomain(alias: string, label: string): string {
  if (!isDomainId(label)) {
    throw new InvalidHostAliasError(alias, `"${label}" is not a Studio domain id like d-xxxxxxxxxxxx`);
  }
  return label;
}

function parseAppType(alias: string, label: string): string {
  const appType = appTypeOfLabel(label);
  if (appType === undefined) {
    throw new InvalidHostAliasError(alias, `"${label}" is not a Studio app type label like codeeditor`);
  }
  if (appType === DEFAULT_STUDIO_APP_TYPE) {
    const [app, , ...rest] = alias.split('.');
    throw new InvalidHostAliasError(
      alias,
      `${DEFAULT_STUDIO_APP_TYPE} apps are written without a type label: ${[app, ...rest].join('.')}`,
    );
  }
  return appType;
}

// Upstream (sm_ssh.py): app.studio.sagemaker names the app only; X.domain.studio.sagemaker takes X as
// both app and space/user; app.space.domain.studio.sagemaker is the full form (a JupyterLab app).
// Ours adds app.type.space.domain.studio.sagemaker for the other app types.
function parseStudio(alias: string, labels: string[]): ParsedAlias {
  const base = { alias, kind: 'studioApp', appType: undefined } as const;
  switch (labels.length) {
    case 1:
      return {
        ...base,
        appName: decodeLabel(alias, labels[0], 'app'),
        ownerName: undefined,
        domainId: undefined,
      };
    case 2: {
      const name = decodeLabel(alias, labels[0], 'app');
      return { ...base, appName: name, ownerName: name, domainId: parseDomain(alias, labels[1]) };
    }
    case 3:
      return {
        ...base,
        appName: decodeLabel(alias, labels[0], 'app'),
        ownerName: decodeLabel(alias, labels[1], 'space or user'),
        domainId: parseDomain(alias, labels[2]),
        appType: DEFAULT_STUDIO_APP_TYPE,
      };
    case 4:
      return {
        ...base,
        appName: decodeLabel(alias, labels[0], 'app'),
        appType: parseAppType(alias, labels[1]),
        ownerName: decodeLabel(alias, labels[2], 'space or user'),
        domainId: parseDomain(alias, labels[3]),
      };
    default:
      throw new InvalidHostAliasError(
        alias,
        'a Studio alias has at most app, app type, space/user and domain labels',
      );
  }
}

function parseHyperPod(alias: string, labels: string[]): ParsedAlias {
  return { alias, ...parseHyperPodLabels(alias, labels) };
}

function parseRemoteDebug(alias: string, labels: string[]): ParsedAlias {
  return { alias, ...parseRemoteDebugLabels(alias, labels) };
}
/**
 * The reverse of trainingAlias/studioAlias: what an alias points at. Accepts only canonical
 * lowercase aliases, so every target has exactly one alias. Throws InvalidHostAliasError.
 * Ours end in a `.sagemaker` suffix; the native kinds' aliases start with a scheme instead
 * (`sagemaker-training-job:`, `sagemaker-cluster:`), so they get a prefix check of their own here.
 */
export function parseAlias(alias: string): ParsedAlias {
  if (alias === STABLE_HYPERPOD_ALIAS) {
    return { alias, kind: 'stable', stableFor: 'hyperPodNode' };
  }
  if (alias === STABLE_TRAINING_ALIAS || alias === STABLE_STUDIO_ALIAS) {
    return {
      alias,
      kind: 'stable',
      stableFor: alias === STABLE_TRAINING_ALIAS ? 'trainingNode' : 'studioApp',
    };
  }
  if (alias === STABLE_SPACE_ALIAS) return { alias, kind: 'stable', stableFor: 'studioSpace' };
  if (alias !== alias.toLowerCase()) {
    throw new InvalidHostAliasError(alias, 'aliases are lowercase (capitals in names are encoded)');
  }
  const payloadType = payloadAliasType(alias);
  if (payloadType !== undefined) {
    return { alias, ...parsePayloadResourceAlias(alias, payloadType) };
  }
  for (const [suffix, parse] of [
    [TRAINING_ALIAS_SUFFIX, parseTraining],
    [STUDIO_ALIAS_SUFFIX, parseStudio],
    [HYPERPOD_ALIAS_SUFFIX, parseHyperPod],
    [REMOTE_DEBUG_ALIAS_SUFFIX, parseRemoteDebug],
    [SPACE_ALIAS_SUFFIX, (a: string, l: string[]): ParsedAlias => ({ alias: a, ...parseSpaceLabels(a, l) })],
  ] as const) {
    if (alias === suffix.slice(1) || alias === suffix) {
      throw new InvalidHostAliasError(alias, `it names no resource before ${suffix}`);
    }
    if (alias.endsWith(suffix)) {
      return parse(alias, alias.slice(0, -suffix.length).split('.'));
    }
  }
  throw new InvalidHostAliasError(
    alias,
    'it does not end in .training.sagemaker, .debug.sagemaker, .studio.sagemaker, .space.sagemaker, ' +
      '.hyperpod.sagemaker, .processing.sagemaker, .transform.sagemaker, .inference.sagemaker or .notebook.sagemaker',
  );
}

/**
 * The target an alias names: the reverse of targetAlias. Only the full forms name one target (not
 * the stable aliases, nor upstream's short Studio forms). A Studio app's owner kind is left unknown.
 */
export function parseTargetAlias(alias: string): SshTarget {
  const parsed = parseAlias(alias);
  if (
    parsed.kind === 'trainingNode' ||
    parsed.kind === 'studioSpace' ||
    parsed.kind === 'payloadResource' ||
    parsed.kind === 'hyperPodNode' ||
    parsed.kind === 'remoteDebugNode'
  ) {
    const { alias: _alias, ...target } = parsed;
    return target;
  }
  if (parsed.kind === 'studioApp' && parsed.ownerName !== undefined && parsed.domainId !== undefined) {
    const { appName, ownerName, domainId, appType } = parsed;
    return { kind: 'studioApp', appName, ownerName, domainId, appType };
  }
  throw new InvalidHostAliasError(
    alias,
    'it names no single training job, Studio app or other resource. Use <job>.training.sagemaker, ' +
      'algo-N.<job>.training.sagemaker or <app>.[<type>.]<space-or-user>.<domain>.studio.sagemaker',
  );
}

/** True for any alias parseAlias accepts. */
export function isSageMakerAlias(alias: string): boolean {
  try {
    parseAlias(alias);
    return true;
  } catch (error) {
    if (error instanceof InvalidHostAliasError) {
      return false;
    }
    throw error;
  }
}
