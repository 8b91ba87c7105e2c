/*
 * The contextValue of every tree item: a node kind followed by the flags that hold, separated by
 * spaces, e.g. "trainingJob inProgress ssh sshReady". package.json `view/item/context` menus match
 * them with `viewItem =~ /^kind\b.*\bflag\b/`; test/unit/views/menus.test.ts checks every clause
 * against every value these lists allow.
 */

/** Flags each node kind may carry, in the order they appear in its contextValue. */
export const contextFlagsByKind = {
  /** `remoteDebug`: SageMaker's remote debug is on; `canEnableDebug`: running, off, not a built-in algorithm. */
  trainingJob: ['inProgress', 'ssh', 'sshReady', 'remoteDebug', 'canEnableDebug'],
  trainingNode: ['inProgress', 'sshReady'],
  /** A node of a job with remote debug on (Session Manager target, no registration of ours). */
  remoteDebugNode: ['inProgress'],
  studioDomain: ['arn'],
  studioUserProfile: [],
  /** remoteAccess: RemoteAccess ENABLED; running: its app is InService (Start/Stop Space, Connect). */
  studioSpace: ['remoteAccess', 'running'],
  studioApp: ['inService', 'ssh', 'sshReady'],
  /** Processing Jobs, Transform Jobs, Endpoints, Notebook Instances: a section of the Other Resources view. */
  payloadSection: [],
  /** A processing/transform job, endpoint or notebook instance; `running`: its containers run. */
  payloadResource: ['running', 'ssh', 'sshReady'],
  /** A container (algo-N) of a payload resource. */
  payloadNode: ['running', 'sshReady'],
  hyperPodCluster: ['inService'],
  hyperPodGroup: [],
  /** A HyperPod cluster node; `running`: Session Manager can reach it. */
  hyperPodNode: ['running'],
  /** An active port forward, shown under its node or app. */
  portForward: [],
  /** An AWS error in place of the view's or a domain's contents; clicking it retries. */
  error: [],
  loadMore: [],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export type NodeKind = keyof typeof contextFlagsByKind;
export type ContextFlag<K extends NodeKind> = (typeof contextFlagsByKind)[K][number];

/** Which view shows which kinds (message items without a contextValue appear in both). */
export const nodeKindsByView = {
  'sagemakerSsh.trainingJobs': [
    'trainingJob',
    'trainingNode',
    'remoteDebugNode',
    'portForward',
    'error',
    'loadMore',
  ],
  'sagemakerSsh.studio': [
    'studioDomain',
    'studioUserProfile',
    'studioSpace',
    'studioApp',
    'portForward',
    'error',
  ],
  'sagemakerSsh.resources': ['payloadSection', 'payloadResource', 'payloadNode', 'portForward', 'error'],
  'sagemakerSsh.hyperPod': ['hyperPodCluster', 'hyperPodGroup', 'hyperPodNode', 'error'],
} as const satisfies Readonly<Record<string, readonly NodeKind[]>>;

/** The contextValue of a node of `kind` with the flags that are true. */
export function contextValueOf<K extends NodeKind>(
  kind: K,
  flags: Partial<Readonly<Record<ContextFlag<K>, boolean>>> = {},
): string {
  const all: readonly ContextFlag<K>[] = contextFlagsByKind[kind];
  return [kind, ...all.filter((flag) => flags[flag] === true)].join(' ');
}

/** Every contextValue a node of `kind` can have: each subset of its flags. */
export function allContextValuesOf(kind: NodeKind): string[] {
  const flags: readonly string[] = contextFlagsByKind[kind];
  const values: string[] = [];
  for (let mask = 0; mask < 1 << flags.length; mask++) {
    values.push([kind, ...flags.filter((_, i) => (mask & (1 << i)) !== 0)].join(' '));
  }
  return values;
}
