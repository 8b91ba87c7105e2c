import type { SshTarget } from '../instances/sshTarget';
import { studioAlias, trainingAlias } from '../ssh/aliases/hostAlias';

const algoNode = /^algo-(\d+)$/;

/** The ssh host alias of a target node: `<job>.training.sagemaker`, `algo-2.<job>…`, `<app>.<owner>.<domain>.studio.sagemaker`. */
export function sshAliasFor(target: SshTarget, node?: string): string {
  if (target.kind === 'app') {
    return studioAlias(target.appName, target.ownerName, target.domainId);
  }
  const match = node ? algoNode.exec(node) : null;
  return trainingAlias(target.jobName, match ? Number(match[1]) : 1);
}
