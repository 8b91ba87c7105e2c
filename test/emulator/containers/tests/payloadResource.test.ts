import * as assert from 'node:assert/strict';
import { DescribeInstanceInformationCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { endpointInstanceIds } from '../../../../src/instances/endpointInstances';
import { findSshInstances } from '../../../../src/instances/findSshInstances';
import { sshNodesFor } from '../../../../src/instances/matchSshNodes';
import { payloadResourceTarget } from '../../../../src/targets/payloadResource';
import { clientsFor, useEmulator } from '../../../support/emulator';
import { DEVELOPER, EXECUTION_ROLE, OWNER_USER_ID } from './helpers';

const ARN = 'arn:aws:sagemaker:us-east-1:123456789012';

async function tagsOf(ssm: SSMClient, instanceId: string): Promise<Record<string, string | undefined>> {
  const out = await ssm.send(
    new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: instanceId }),
  );
  return Object.fromEntries((out.TagList ?? []).map((tag) => [tag.Key!, tag.Value]));
}

describe('containers: processing job, notebook instance and endpoint running the payload (upstream tags)', () => {
  const emulator = useEmulator({
    identities: [DEVELOPER, EXECUTION_ROLE],
    sagemaker: {
      processingJobs: [{ name: 'Prep-Data', instanceCount: 2, ssh: { nodes: 2, owner: OWNER_USER_ID } }],
      notebookInstances: [{ name: 'nb-1', ssh: { owner: OWNER_USER_ID } }],
      endpoints: [{ name: 'ep-1', ssh: { owner: OWNER_USER_ID } }],
    },
  });

  it('tags a processing node as sm-init-ssm does from processingjobconfig.json: no SSHHost, ComputerName algo-N', async () => {
    const { ssm } = clientsFor(emulator());
    const listed = await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'tag:SSHResourceName', Values: ['Prep-Data'] }],
      }),
    );
    const instances = listed.InstanceInformationList ?? [];
    assert.deepEqual(instances.map((i) => i.ComputerName).sort(), ['algo-1', 'algo-2']);
    for (const instance of instances) {
      const tags = await tagsOf(ssm, instance.InstanceId!);
      assert.equal(tags.SSHResourceArn, `${ARN}:processing-job/prep-data`);
      assert.equal(tags.SSHOwner, OWNER_USER_ID);
      assert.equal('SSHHost' in tags, false);
    }
  });

  it('our client tells the upstream-registered nodes apart by ComputerName', async () => {
    const { ssm } = clientsFor(emulator());
    const instances = await findSshInstances(ssm, { resourceNames: ['Prep-Data'] });
    const nodes = sshNodesFor(payloadResourceTarget('processing', 'Prep-Data'), instances, OWNER_USER_ID);
    assert.deepEqual(
      nodes.map((n) => [n.name, n.instance.pingStatus]),
      [
        ['algo-1', 'Online'],
        ['algo-2', 'Online'],
      ],
    );
    const running = await emulator()
      .containers.nodes()
      .find((n) => n.resourceName === 'Prep-Data' && n.host === 'algo-2')!
      .container.exec('cat /opt/ml/config/resourceconfig.json');
    assert.equal(JSON.parse(running.stdout).current_host, 'algo-2');
  });

  it("tags the notebook instance's local-mode container from resource-metadata.json", async () => {
    const { ssm } = clientsFor(emulator());
    const instances = await findSshInstances(ssm, { resourceNames: ['nb-1'] });
    assert.equal(instances.length, 1);
    assert.equal(instances[0]!.tags.resourceArn, `${ARN}:notebook-instance/nb-1`);
    assert.match(instances[0]!.computerName ?? '', /^algo-1-[0-9a-f]{5}$/);
    const nodes = sshNodesFor(payloadResourceTarget('notebook', 'nb-1'), instances, OWNER_USER_ID);
    assert.equal(nodes.length, 1);
  });

  it("finds the endpoint's registration through its log, and names its node by ComputerName", async () => {
    const { ssm } = clientsFor(emulator());
    const e = emulator();
    const logs = new CloudWatchLogsClient({
      endpoint: e.endpoint,
      region: e.state.region,
      credentials: e.credentials(),
      maxAttempts: 1,
    });
    const endpoint = e.containers.nodes().find((n) => n.resourceName === 'ep-1')!;
    assert.deepEqual(await endpointInstanceIds(logs, 'ep-1'), [endpoint.instanceId]);
    assert.deepEqual(await endpointInstanceIds(logs, 'no-such-endpoint'), []);
    const instances = await findSshInstances(ssm, { instanceIds: [endpoint.instanceId!] });
    const nodes = sshNodesFor(payloadResourceTarget('inference', 'ep-1'), instances, OWNER_USER_ID);
    assert.deepEqual(
      nodes.map((n) => [n.name, n.instance.instanceId]),
      [[endpoint.host, endpoint.instanceId]],
    );
  });

  it('registers the endpoint container with empty resource tags, as upstream does', async () => {
    const { ssm } = clientsFor(emulator());
    const endpoint = emulator()
      .containers.nodes()
      .find((n) => n.resourceName === 'ep-1')!;
    const tags = await tagsOf(ssm, endpoint.instanceId!);
    assert.equal(tags.SSHResourceName, '');
    assert.equal(tags.SSHResourceArn, '');
    assert.equal(tags.SSHOwner, OWNER_USER_ID);
  });
});
