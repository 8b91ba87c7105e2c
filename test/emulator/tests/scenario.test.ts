import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DescribeTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { ListTagsForResourceCommand } from '@aws-sdk/client-ssm';
import { loadScenarioFile, ScenarioError, startEmulator, validateScenario } from '..';
import { parseScenarioTime } from '../scenario/time';
import { clientsFor } from '../../support/emulator';

const ANCHOR = new Date('2025-06-01T12:00:00.000Z');

function problemsOf(document: unknown): string[] {
  try {
    validateScenario(document, ANCHOR, 'test.json');
  } catch (error) {
    assert.ok(error instanceof ScenarioError, String(error));
    return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
  }
  assert.fail('expected the scenario to be rejected');
}

describe('emulator: scenario loading', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'emulator-scenario-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('parses ISO, "now" and relative times against the anchor', () => {
    assert.equal(parseScenarioTime('-2h', ANCHOR)!.toISOString(), '2025-06-01T10:00:00.000Z');
    assert.equal(parseScenarioTime('-15m', ANCHOR)!.toISOString(), '2025-06-01T11:45:00.000Z');
    assert.equal(parseScenarioTime('-3d', ANCHOR)!.toISOString(), '2025-05-29T12:00:00.000Z');
    assert.equal(parseScenarioTime('+1d2h30m15s', ANCHOR)!.toISOString(), '2025-06-02T14:30:15.000Z');
    assert.equal(parseScenarioTime('now', ANCHOR)!.getTime(), ANCHOR.getTime());
    assert.equal(
      parseScenarioTime('2025-01-02T03:04:05Z', ANCHOR)!.toISOString(),
      '2025-01-02T03:04:05.000Z',
    );
    for (const bad of ['2h', '-', '-2x', 'yesterday', '2025-13-45', ''])
      assert.equal(parseScenarioTime(bad, ANCHOR), undefined, bad);
  });

  it('applies top-level defaults and a default identity', () => {
    const scenario = validateScenario({}, ANCHOR);
    assert.equal(scenario.account, '123456789012');
    assert.equal(scenario.region, 'us-east-1');
    assert.equal(scenario.partition, 'aws');
    assert.equal(scenario.identities.length, 1);
    const other = validateScenario(
      { account: '999999999999', partition: 'aws-cn', region: 'cn-north-1' },
      ANCHOR,
    );
    assert.equal(other.identities[0]!.arn, 'arn:aws-cn:iam::999999999999:user/developer');
  });

  it('reports every problem with its JSON path and what is wrong', () => {
    const problems = problemsOf({
      acount: '1',
      region: 'mars',
      identities: [{ accessKeyId: 'A!', secretAccessKey: 's', arn: 'x', userId: 'u' }],
      sagemaker: {
        trainingJobs: [
          { name: 'job_1', status: 'Running', creationTime: 'yesterday' },
          { name: 'ok', status: 'Completed', instanceCount: 0 },
        ],
      },
      ssm: { instances: [{ id: 'i-123', pingStatus: 'Online' }] },
      faults: [{ service: 'ssm', operation: 'X' }],
    });
    const expected = [
      '$.acount: unknown field',
      '$.region: "mars" is not valid: must be a region code like us-east-1',
      '$.identities[0].accessKeyId: "A!" is not valid',
      '$.identities[0].arn: "x" is not valid: must be an IAM or STS principal ARN',
      '$.sagemaker.trainingJobs[0].name: "job_1" is not valid',
      '$.sagemaker.trainingJobs[0].status: must be one of InProgress, Completed, Failed, Stopping, Stopped, Deleting; got the string "Running"',
      '$.sagemaker.trainingJobs[0].creationTime: must be an ISO-8601 time',
      '$.sagemaker.trainingJobs[1].instanceCount: must be >= 1',
      '$.ssm.instances[0].id: "i-123" is not valid: must be "mi-" followed by 17 lowercase hex digits',
      '$.faults[0]: needs an "error", a "latencyMs", or both',
    ];
    for (const prefix of expected) {
      assert.ok(
        problems.some((problem) => problem.startsWith(prefix)),
        `missing "${prefix}" in:\n${problems.join('\n')}`,
      );
    }
    assert.equal(problems.length, expected.length, problems.join('\n'));
  });

  it('checks uniqueness and references across entries', () => {
    const problems = problemsOf({
      identities: [
        {
          accessKeyId: 'AKIA0000000000000001',
          secretAccessKey: 's',
          arn: 'arn:aws:iam::123456789012:user/a',
          userId: 'A',
        },
        {
          accessKeyId: 'AKIA0000000000000001',
          secretAccessKey: 's',
          arn: 'arn:aws:iam::123456789012:user/b',
          userId: 'B',
        },
      ],
      sagemaker: {
        trainingJobs: [
          { name: 'Job', status: 'Completed' },
          { name: 'job', status: 'Completed' },
          { name: 'running', status: 'InProgress', trainingEndTime: '-1h' },
        ],
        domains: [
          {
            id: 'd-abc',
            name: 'x',
            userProfiles: [
              {
                name: 'alice',
                apps: [
                  { type: 'KernelGateway', name: 'a' },
                  { type: 'KernelGateway', name: 'a' },
                ],
              },
            ],
            spaces: [{ name: 's', ownerUserProfile: 'bob', apps: [{ type: 'JupyterLab', name: 'default' }] }],
          },
        ],
      },
      ssm: { instances: [{ id: 'mi-00000000000000001' }, { id: 'mi-00000000000000001' }] },
      s3: {
        buckets: [
          {
            name: 'bucket',
            objects: [
              { key: 'k', body: 'a' },
              { key: 'k', bodyBase64: 'YQ==' },
            ],
          },
        ],
      },
    });
    const expected = [
      '$.identities[1]: duplicate accessKeyId "AKIA0000000000000001" (first used at index 0)',
      '$.sagemaker.trainingJobs[1]: duplicate training job name "job"',
      '$.sagemaker.trainingJobs[2].trainingEndTime: must not be set while the job is InProgress',
      '$.sagemaker.domains[0].userProfiles[0].apps[1]: duplicate app (type/name) "KernelGateway/a"',
      '$.sagemaker.domains[0].spaces[0].ownerUserProfile: names user profile "bob", which is not in this domain\'s userProfiles',
      '$.ssm.instances[1]: duplicate instance id "mi-00000000000000001"',
      '$.s3.buckets[0].objects[1]: duplicate object key "k"',
    ];
    for (const prefix of expected) {
      assert.ok(
        problems.some((problem) => problem.startsWith(prefix)),
        `missing "${prefix}" in:\n${problems.join('\n')}`,
      );
    }
    assert.equal(problems.length, expected.length, problems.join('\n'));
  });

  it('keeps app types to their owners and object bodies unambiguous', () => {
    const problems = problemsOf({
      sagemaker: {
        domains: [
          { id: 'd-abc', name: 'x', spaces: [{ name: 's', apps: [{ type: 'KernelGateway', name: 'k' }] }] },
        ],
      },
      s3: { buckets: [{ name: 'bucket', objects: [{ key: 'both', body: 'a', bodyBase64: 'YQ==' }] }] },
    });
    assert.deepEqual(problems, [
      '$.sagemaker.domains[0].spaces[0].apps[0].type: must be one of JupyterLab, CodeEditor; got the string "KernelGateway"',
      '$.s3.buckets[0].objects[0]: use either "body" or "bodyBase64", not both',
    ]);
  });

  it('names the file in errors for unreadable and invalid JSON files', async () => {
    const missing = path.join(dir, 'missing.json');
    assert.throws(
      () => loadScenarioFile(missing, ANCHOR),
      (error: Error) =>
        error instanceof ScenarioError &&
        error.message.includes(missing) &&
        /cannot read the file/.test(error.message),
    );
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{ "region": ');
    assert.throws(() => loadScenarioFile(broken, ANCHOR), /broken\.json.*\n {2}\$: is not valid JSON/s);
    const invalid = path.join(dir, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ region: 42 }));
    assert.throws(
      () => loadScenarioFile(invalid, ANCHOR),
      /invalid\.json \(1 problem; see test\/emulator\/README\.md for the format\):\n {2}\$\.region: must be a string, got number 42/,
    );
    await assert.rejects(startEmulator({ scenario: invalid }), ScenarioError);
  });

  it('loads the shipped demo scenario', () => {
    const demo = path.resolve(__dirname, '../../../../test/emulator/scenarios/demo.json');
    const scenario = loadScenarioFile(demo, ANCHOR);
    assert.ok(scenario.sagemaker!.trainingJobs!.length >= 8);
  });

  it('materializes defaults: lowercase ARNs, secondary statuses, transitions and {{epoch}} tag macros', async () => {
    const emulator = await startEmulator({
      scenario: {
        sagemaker: {
          trainingJobs: [
            { name: 'MixedCase-Job', status: 'Failed', creationTime: '-2h', trainingEndTime: '-1h' },
          ],
        },
        ssm: { instances: [{ id: 'mi-00000000000000abc', tags: { SSHTimestamp: '{{epoch -1h}}' } }] },
      },
    });
    try {
      const { sagemaker, ssm } = clientsFor(emulator);
      const job = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: 'MixedCase-Job' }));
      assert.equal(job.TrainingJobArn, 'arn:aws:sagemaker:us-east-1:123456789012:training-job/mixedcase-job');
      assert.equal(job.SecondaryStatus, 'Failed');
      assert.ok(job.FailureReason);
      assert.equal(job.TrainingEndTime!.getTime(), emulator.state.clock.start.getTime() - 3_600_000);
      const transitions = job.SecondaryStatusTransitions!;
      assert.deepEqual(
        transitions.map((transition) => transition.Status),
        ['Starting', 'Downloading', 'Training', 'Failed'],
      );
      for (let index = 1; index < transitions.length; index++) {
        assert.ok(
          transitions[index]!.StartTime!.getTime() >= transitions[index - 1]!.StartTime!.getTime(),
          'transitions are ordered',
        );
      }
      const tags = await ssm.send(
        new ListTagsForResourceCommand({
          ResourceType: 'ManagedInstance',
          ResourceId: 'mi-00000000000000abc',
        }),
      );
      assert.equal(
        tags.TagList![0]!.Value,
        String(Math.floor((emulator.state.clock.start.getTime() - 3_600_000) / 1000)),
      );
    } finally {
      await emulator.close();
    }
  });
});
