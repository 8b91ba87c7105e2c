import type { SshTarget } from '../targets/sshTarget';
import { studioAlias, trainingAlias } from '../targets/targetAlias';

const algoNode = /^algo-(\d+)$/;

/**
 * The ssh host alias of a target node: `<job>.training.sagemaker`, `algo-2.<job>…`,
 * `<app>.<owner>.<domain>.studio.sagemaker` (JupyterLab) or `<app>.<type>.<owner>.<domain>.studio.sagemaker`.
 * The extension and the CLI (`sm-ssh list`) both name hosts through this function.
 */
export function sshAliasFor(target: SshTarget, node?: string): string {
  if (target.kind === 'app') {
    return studioAlias(target.appName, target.ownerName, target.domainId, target.appType);
  }
  const match = node ? algoNode.exec(node) : null;
  return trainingAlias(target.jobName, match ? Number(match[1]) : 1);
}
