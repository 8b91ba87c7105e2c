import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import {
  DescribeClusterCommand,
  DescribeSpaceCommand,
  DescribeTrainingJobCommand,
  ListAppsCommand,
  ListClusterNodesCommand,
  ListDomainsCommand,
  SearchCommand,
} from '@aws-sdk/client-sagemaker';
import { DescribeInstanceInformationCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ssm';
import { clientsFor, useEmulator } from '../../support/emulator';

const DEMO = path.resolve(__dirname, '../../../../test/emulator/scenarios/demo.json');

describe('emulator: shipped demo scenario', () => {
  const emulator = useEmulator(DEMO);

  it('has training jobs in every status and a 2-node SSH job with algo-1 and algo-2 online', async () => {
    const { sagemaker, ssm } = clientsFor(emulator());
    const jobs = await sagemaker.send(new SearchCommand({ Resource: 'TrainingJob', MaxResults: 100 }));
    const statuses = new Set(jobs.Results!.map((result) => result.TrainingJob!.TrainingJobStatus));
    for (const status of ['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'])
      assert.ok(statuses.has(status as never), status);
    const multiNode = await sagemaker.send(
      new SearchCommand({
        Resource: 'TrainingJob',
        SearchExpression: {
          Filters: [
            { Name: 'ResourceConfig.InstanceCount', Value: '2' },
            { Name: 'TrainingJobStatus', Value: 'InProgress' },
          ],
        },
      }),
    );
    const job = multiNode.Results![0]!.TrainingJob!;
    const instances = await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [
          { Key: 'tag:SSHResourceArn', Values: [job.TrainingJobArn!] },
          { Key: 'PingStatus', Values: ['Online'] },
        ],
      }),
    );
    assert.deepEqual(instances.InstanceInformationList!.map((instance) => instance.ComputerName).sort(), [
      'algo-1',
      'algo-2',
    ]);
  });

  it('has a Studio domain with a KernelGateway app, a JupyterLab + CodeEditor space, a Deleted app, and their SSH instances', async () => {
    const { sagemaker, ssm } = clientsFor(emulator());
    const apps = (await sagemaker.send(new ListAppsCommand({ MaxResults: 100 }))).Apps!;
    assert.ok(
      apps.some(
        (app) => app.AppType === 'KernelGateway' && app.Status === 'InService' && app.UserProfileName,
      ),
    );
    assert.ok(apps.some((app) => app.AppType === 'JupyterLab' && app.SpaceName));
    assert.ok(apps.some((app) => app.AppType === 'CodeEditor' && app.SpaceName));
    // A deleted KernelGateway app, and remote-lab's JupyterLab (a stopped space).
    assert.equal(apps.filter((app) => app.Status === 'Deleted').length, 2);
    const studio = await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'tag-key', Values: ['SSHResourceArn'] }],
        MaxResults: 50,
      }),
    );
    const arns = await Promise.all(
      studio.InstanceInformationList!.map(async (instance) => {
        const tags = await ssm.send(
          new ListTagsForResourceCommand({
            ResourceType: 'ManagedInstance',
            ResourceId: instance.InstanceId,
          }),
        );
        return tags.TagList!.find((tag) => tag.Key === 'SSHResourceArn')!.Value!;
      }),
    );
    for (const type of ['kernelgateway', 'jupyterlab', 'codeeditor'])
      assert.ok(
        arns.some((arn) => arn.includes(`/${type}/`)),
        type,
      );
  });

  it('has the native paths: a remote-debug job, a stopped space with remote access, a HyperPod node in a container', async () => {
    const { sagemaker } = clientsFor(emulator());
    const job = await sagemaker.send(
      new DescribeTrainingJobCommand({ TrainingJobName: 'sdxl-remote-debug-2025-06-01-12-00-00-011' }),
    );
    assert.equal(job.RemoteDebugConfig?.EnableRemoteDebug, true);
    assert.ok(
      emulator().state.nativeTargets.get(`sagemaker-training-job:${job.TrainingJobName}_algo-1`),
      'the remote-debug job’s algo-1 answers its sagemaker-training-job: target',
    );

    const domainId = (await sagemaker.send(new ListDomainsCommand({}))).Domains![0]!.DomainId!;
    const space = await sagemaker.send(
      new DescribeSpaceCommand({ DomainId: domainId, SpaceName: 'remote-lab' }),
    );
    assert.equal(space.SpaceSettings?.RemoteAccess, 'ENABLED');
    assert.ok(emulator().state.studio.runtime, 'Start Space runs the app as a simulated container');
    const devSpace = await sagemaker.send(
      new DescribeSpaceCommand({ DomainId: domainId, SpaceName: 'dev-space' }),
    );
    assert.equal(
      devSpace.SpaceSettings?.RemoteAccess ?? 'DISABLED',
      'DISABLED',
      'dev-space is the payload’s',
    );

    const nodes = (await sagemaker.send(new ListClusterNodesCommand({ ClusterName: 'llm-pretrain' })))
      .ClusterNodeSummaries!;
    assert.deepEqual(nodes.map((node) => `${node.InstanceGroupName} ${node.InstanceStatus?.Status}`).sort(), [
      'controller Running',
      'workers Pending',
    ]);
    const controller = nodes.find((node) => node.InstanceGroupName === 'controller')!;
    const clusterId = (await sagemaker.send(new DescribeClusterCommand({ ClusterName: 'llm-pretrain' })))
      .ClusterArn!.split('/')
      .pop();
    assert.ok(
      emulator().state.nativeTargets.get(
        `sagemaker-cluster:${clusterId}_controller-${controller.InstanceId}`,
      ),
      'the controller node answers its sagemaker-cluster: target',
    );
    assert.equal(
      emulator().state.nativeTargets.all().length,
      2,
      'only algo-1 and the controller run an agent',
    );
  });

  it('has the default SageMaker bucket', async () => {
    const head = await clientsFor(emulator()).s3.send(
      new HeadBucketCommand({ Bucket: 'sagemaker-us-east-1-123456789012' }),
    );
    assert.equal(head.$metadata.httpStatusCode, 200);
  });
});
