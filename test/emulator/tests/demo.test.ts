import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { ListAppsCommand, SearchCommand } from '@aws-sdk/client-sagemaker';
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
    assert.equal(apps.filter((app) => app.Status === 'Deleted').length, 1);
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

  it('has the default SageMaker bucket', async () => {
    const head = await clientsFor(emulator()).s3.send(
      new HeadBucketCommand({ Bucket: 'sagemaker-us-east-1-123456789012' }),
    );
    assert.equal(head.$metadata.httpStatusCode, 200);
  });
});
