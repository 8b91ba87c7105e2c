import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { formatLogLine } from '../../../../src/logs/formatLogLine';
import { showTrainingJobLogs } from '../../../../src/logs/trainingJobLogs';
import { startEmulator } from '../..';
import { clientsFor } from '../../../support/emulator';
import { DEVELOPER, EXECUTION_ROLE, OWNER_USER_ID } from './helpers';

describe('containers: a training container’s output goes to CloudWatch Logs', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'containers-logs-'));
    await writeFile(
      path.join(dir, 'train.sh'),
      [
        '#!/bin/sh',
        'echo "step 1 on $(hostname)"',
        'while [ ! -f /tmp/go ]; do sleep 0.05; done',
        'echo "step 2 on $(hostname)"',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lines appear in the job’s stream while the script runs; following ends when the job completes', async () => {
    const emulator = await startEmulator({
      scenario: {
        identities: [DEVELOPER, EXECUTION_ROLE],
        sagemaker: {
          trainingJobs: [
            {
              name: 'logging-job',
              status: 'InProgress',
              environment: { SSH_OWNER_TAG: OWNER_USER_ID },
              ssh: { entry: path.join(dir, 'train.sh'), sourceDir: dir },
            },
          ],
        },
      },
    });
    try {
      const config = {
        endpoint: emulator.endpoint,
        region: emulator.state.region,
        credentials: emulator.credentials(),
        maxAttempts: 1,
      };
      const lines: string[] = [];
      let released = false;
      const node = emulator.containers.nodes()[0]!;
      const result = await showTrainingJobLogs({
        logs: new CloudWatchLogsClient(config),
        sagemaker: clientsFor(emulator).sagemaker,
        region: emulator.state.region,
        jobName: 'logging-job',
        follow: true,
        minDelayMs: 50,
        maxDelayMs: 200,
        onEvent: (event) => {
          lines.push(formatLogLine('logging-job', event));
          if (!released && event.message === 'step 1 on algo-1') {
            released = true;
            void node.container.writeFile('/tmp/go', '');
          }
        },
      });
      assert.equal(result.end, 'jobEnded');
      const step1 = lines.findIndex((l) => / algo-1 step 1 on algo-1$/.test(l));
      const step2 = lines.findIndex((l) => / algo-1 step 2 on algo-1$/.test(l));
      assert.ok(step1 >= 0 && step2 > step1, lines.join('\n'));
    } finally {
      await emulator.close();
    }
  });
});
