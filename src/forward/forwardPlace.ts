import { STUDIO_ALIAS_SUFFIX, targetAlias } from '../targets/targetAlias';
import type { SshTarget } from '../targets/sshTarget';
import { nodeNameOf } from '../targets/sshTarget';
import type { ForwardPlace } from './forwardManager';
import { SPACE_ALIAS_SUFFIX } from '../targets/studioSpace';

/**
 * Where a forward belongs: keyed by the node's ssh alias (`<job>.training.sagemaker`,
 * `algo-2.<job>…`, the app's alias), so the command that starts it and the tree node that shows
 * it agree without sharing objects.
 */
export function forwardPlaceOf(target: SshTarget): ForwardPlace {
  const key = targetAlias(target);
  if (target.kind === 'studioSpace') return { key, label: `${target.spaceName} (space)` };
  if (target.kind === 'studioApp') return { key, label: `${target.appName} (${target.ownerName})` };
  if (target.kind === 'payloadResource')
    return { key, label: `${nodeNameOf(target) ?? 'algo-1'} of ${target.name}` };
  if (target.kind === 'hyperPodNode') return { key, label: `${target.instanceId} of ${target.clusterName}` };
  return { key, label: `${nodeNameOf(target) ?? 'algo-1'} of ${target.jobName}` };
}

/** Whether a forward belongs to a Studio app (shown in the Studio view). */
export function isStudioPlace(placeKey: string): boolean {
  return placeKey.endsWith(STUDIO_ALIAS_SUFFIX) || placeKey.endsWith(SPACE_ALIAS_SUFFIX);
}
