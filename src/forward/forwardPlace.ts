import { sshAliasFor } from '../connect/sshAlias';
import { STUDIO_ALIAS_SUFFIX } from '../targets/targetAlias';
import type { SshTarget } from '../targets/sshTarget';
import type { ForwardPlace } from './forwardManager';

/**
 * Where a forward belongs: keyed by the node's ssh alias (`<job>.training.sagemaker`,
 * `algo-2.<job>…`, the app's alias), so the command that starts it and the tree node that shows
 * it agree without sharing objects.
 */
export function forwardPlaceOf(target: SshTarget, nodeName: string | undefined): ForwardPlace {
  const key = sshAliasFor(target, nodeName);
  if (target.kind === 'app') return { key, label: `${target.appName} (${target.ownerName})` };
  return { key, label: `${nodeName ?? 'algo-1'} of ${target.jobName}` };
}

/** Whether a forward belongs to a Studio app (shown in the Studio view). */
export function isStudioPlace(placeKey: string): boolean {
  return placeKey.endsWith(STUDIO_ALIAS_SUFFIX);
}
