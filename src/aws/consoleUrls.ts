/** AWS console links that respect the partition (commercial, China, GovCloud). */
export function consoleBase(partition: string, region: string): string {
  switch (partition) {
    case 'aws-cn':
      return `https://${region}.console.amazonaws.cn`;
    case 'aws-us-gov':
      return 'https://console.amazonaws-us-gov.com';
    default:
      return `https://${region}.console.aws.amazon.com`;
  }
}

export function trainingJobConsoleUrl(partition: string, region: string, jobName: string): string {
  return `${consoleBase(partition, region)}/sagemaker/home?region=${region}#/jobs/${encodeURIComponent(jobName)}`;
}

export function studioDomainConsoleUrl(partition: string, region: string, domainId: string): string {
  return `${consoleBase(partition, region)}/sagemaker/home?region=${region}#/studio/${encodeURIComponent(domainId)}`;
}

export function managedNodeConsoleUrl(partition: string, region: string, instanceId: string): string {
  return (
    `${consoleBase(partition, region)}/systems-manager/fleet-manager/managed-nodes/` +
    `${encodeURIComponent(instanceId)}/general?region=${region}`
  );
}

export function hyperPodClusterConsoleUrl(partition: string, region: string, clusterName: string): string {
  return `${consoleBase(partition, region)}/sagemaker/home?region=${region}#/cluster-management/${encodeURIComponent(clusterName)}`;
}
