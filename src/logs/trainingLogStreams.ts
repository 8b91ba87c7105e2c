/** Where SageMaker writes the container output of every training job. */
export const trainingJobsLogGroup = '/aws/sagemaker/TrainingJobs';

/** `<job>/algo-<n>-<epoch seconds>` → `algo-<n>`; undefined for another job's or an unknown stream. */
export function nodeOfStream(jobName: string, streamName: string): string | undefined {
  if (!streamName.startsWith(`${jobName}/`)) return undefined;
  const match = /^(algo-\d+)-\d+$/.exec(streamName.slice(jobName.length + 1));
  return match?.[1];
}

/** The stream-name prefix that selects all nodes of a job, or one node (`algo-1-` never matches algo-10). */
export function streamPrefixOf(jobName: string, node?: string): string {
  return node ? `${jobName}/${node}-` : `${jobName}/`;
}

/** Node names in natural order: algo-2 before algo-10. */
export function sortNodes(nodes: Iterable<string>): string[] {
  const number = (node: string): number => Number(/(\d+)$/.exec(node)?.[1] ?? 0);
  return [...new Set(nodes)].sort((a, b) => number(a) - number(b) || a.localeCompare(b));
}
