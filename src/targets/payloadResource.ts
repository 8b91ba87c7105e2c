import { decodeNameLabel, encodeNameLabel } from './nameLabel';
import { checkSageMakerName } from './sagemakerNames';
import { InvalidHostAliasError } from './targetErrors';
import type { SageMakerNameKind } from './targetErrors';

/**
 * The SageMaker resources besides training jobs and Studio apps whose containers run the payload
 * (upstream's SSHProcessorWrapper, SSHTransformerWrapper, SSHModelWrapper and
 * SSHNotebookInstanceWrapper). The type is the alias label upstream's `sm-ssh` uses.
 */
export const PAYLOAD_RESOURCE_TYPES = ['processing', 'transform', 'inference', 'notebook'] as const;
export type PayloadResourceType = (typeof PAYLOAD_RESOURCE_TYPES)[number];

/** A container of a processing job, batch transform job, endpoint or notebook instance running the payload. */
export interface PayloadResourceTarget {
  readonly kind: 'payloadResource';
  readonly resourceType: PayloadResourceType;
  /** The job, endpoint or notebook instance name, as SageMaker spells it. */
  readonly name: string;
  /** 1-based node (2 is algo-2), as training nodes; undefined: algo-1, or the only node. */
  readonly node?: number;
}

interface TypeFacts {
  /** The resource type inside its ARN (`arn:…:processing-job/<name>`), which registrations carry. */
  readonly arnType: string;
  /** How messages name one: `processing job "x"`. */
  readonly noun: SageMakerNameKind;
}

const FACTS: Record<PayloadResourceType, TypeFacts> = {
  processing: { arnType: 'processing-job', noun: 'processing job' },
  transform: { arnType: 'transform-job', noun: 'transform job' },
  inference: { arnType: 'endpoint', noun: 'endpoint' },
  notebook: { arnType: 'notebook-instance', noun: 'notebook instance' },
};

export function isPayloadResourceType(value: string): value is PayloadResourceType {
  return (PAYLOAD_RESOURCE_TYPES as readonly string[]).includes(value);
}

export function payloadResourceTarget(
  resourceType: PayloadResourceType,
  name: string,
  node?: number,
): PayloadResourceTarget {
  return node === undefined || node === 1
    ? { kind: 'payloadResource', resourceType, name }
    : { kind: 'payloadResource', resourceType, name, node };
}

/** The node named `nodeName` (algo-2) of the resource; a name that is no node number: algo-1 or the only node. */
export function payloadNodeTarget(target: PayloadResourceTarget, nodeName: string): PayloadResourceTarget {
  const match = NODE_LABEL.exec(nodeName);
  return payloadResourceTarget(target.resourceType, target.name, match ? Number(match[1]) : undefined);
}

/** `processing-job`, `transform-job`, `endpoint` or `notebook-instance`. */
export function arnResourceType(resourceType: PayloadResourceType): string {
  return FACTS[resourceType].arnType;
}

export function resourceNoun(resourceType: PayloadResourceType): SageMakerNameKind {
  return FACTS[resourceType].noun;
}

/** `.processing.sagemaker`, `.transform.sagemaker`, `.inference.sagemaker`, `.notebook.sagemaker`. */
export function payloadAliasSuffix(resourceType: PayloadResourceType): string {
  return `.${resourceType}.sagemaker`;
}

const MAX_NODE = 9999;
const NODE_LABEL = /^algo-([1-9][0-9]{0,3})$/;

/** `<name>.processing.sagemaker` for algo-1 (upstream's form), `algo-<N>.<name>.processing.sagemaker` for others. */
export function payloadResourceAlias(target: PayloadResourceTarget): string {
  const node = target.node ?? 1;
  if (!Number.isInteger(node) || node < 1 || node > MAX_NODE) {
    throw new RangeError(`node must be an integer from 1 to ${MAX_NODE}, got ${node}`);
  }
  const label = encodeNameLabel(checkSageMakerName(resourceNoun(target.resourceType), target.name));
  const prefix = node === 1 ? '' : `algo-${node}.`;
  return `${prefix}${label}${payloadAliasSuffix(target.resourceType)}`;
}

/** The type whose suffix the alias ends in, if any. */
export function payloadAliasType(alias: string): PayloadResourceType | undefined {
  return PAYLOAD_RESOURCE_TYPES.find((type) => alias.endsWith(payloadAliasSuffix(type)));
}

/** The reverse of payloadResourceAlias, for an alias that ends in the type's suffix. */
export function parsePayloadResourceAlias(
  alias: string,
  resourceType: PayloadResourceType,
): PayloadResourceTarget {
  const suffix = payloadAliasSuffix(resourceType);
  const labels = alias.slice(0, -suffix.length).split('.');
  if (alias === suffix || alias === suffix.slice(1)) {
    throw new InvalidHostAliasError(alias, `it names no resource before ${suffix}`);
  }
  if (labels.length > 2) {
    throw new InvalidHostAliasError(alias, `a ${resourceType} alias has the name and at most a node label`);
  }
  const nameLabel = labels[labels.length - 1];
  const name = decodeNameLabel(nameLabel);
  if (name === undefined) {
    throw new InvalidHostAliasError(
      alias,
      `"${nameLabel}" is not a valid ${resourceNoun(resourceType)} label`,
    );
  }
  if (labels.length === 1) {
    return payloadResourceTarget(resourceType, name);
  }
  const match = NODE_LABEL.exec(labels[0]);
  if (match === null) {
    throw new InvalidHostAliasError(alias, `"${labels[0]}" is not a node label like algo-2`);
  }
  if (match[1] === '1') {
    throw new InvalidHostAliasError(alias, `algo-1 is written without a node label: ${alias.slice(7)}`);
  }
  return payloadResourceTarget(resourceType, name, Number(match[1]));
}

/** How messages name the target: `processing job "x"`. */
export function describePayloadResource(target: PayloadResourceTarget): string {
  return `${resourceNoun(target.resourceType)} "${target.name}"`;
}
