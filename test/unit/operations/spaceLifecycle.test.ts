import * as assert from 'node:assert/strict';
import { DescribeSpaceCommand } from '@aws-sdk/client-sagemaker';
import type { ScenarioDocument } from '../../../test/emulator/index';
import { startSpace, stopSpace } from '../../../src/operations/spaceLifecycle';
import { describeSpaceState, startSpaceSession } from '../../../src/sagemaker/studioSpaces';
import { studioSpaceTarget } from '../../../src/targets/studioSpace';
import { CancellationSource } from '../../../src/util/sleep';
import { clientsFor, useEmulator } from '../../support/emulator';

const DOMAIN = 'd-lifecycle01';

const scenario: ScenarioDocument = {
  options: { stopDelayMs: 300 },
  sagemaker: {
    domains: [
      {
        id: DOMAIN,
        name: 'lifecycle',
        spaces: [
          {
            name: 'off',
            appType: 'JupyterLab',
            remoteAccess: 'DISABLED',
            apps: [{ type: 'JupyterLab', name: 'default', status: 'Deleted', instanceType: 'ml.m5.large' }],
          },
          {
            name: 'tiny',
            appType: 'JupyterLab',
            apps: [{ type: 'JupyterLab', name: 'default', status: 'Deleted', instanceType: 'ml.t3.medium' }],
          },
          {
            name: 'slow',
            appType: 'CodeEditor',
            apps: [{ type: 'CodeEditor', name: 'default', status: 'Deleted', instanceType: 'ml.m5.large' }],
          },
        ],
      },
    ],
  },
};

describe('Start Space / Stop Space', () => {
  const emulator = useEmulator(scenario);
  const options = { surface: 'cli' as const, pollMs: 50 };

  it('enables remote access, starts the app on its instance type, waits for InService, then stops it', async () => {
    const { sagemaker } = clientsFor(emulator());
    const target = studioSpaceTarget(DOMAIN, 'off');
    const progress: string[] = [];
    const started = await startSpace(sagemaker, target, {
      ...options,
      onProgress: (line) => progress.push(line),
    });
    assert.equal(started.kind, 'done');
    assert.equal(started.state.remoteAccess, true);
    assert.equal(started.state.app?.status, 'InService');
    assert.equal(started.state.app?.instanceType, 'ml.m5.large');
    assert.ok(progress.some((line) => line.includes('Enabling remote access')));
    assert.equal((await startSpace(sagemaker, target, options)).kind, 'already');

    const stopped = await stopSpace(sagemaker, target, options);
    assert.equal(stopped.kind, 'done');
    assert.equal(stopped.state.app, undefined);
    assert.equal((await stopSpace(sagemaker, target, options)).kind, 'already');
    const space = await sagemaker.send(new DescribeSpaceCommand({ DomainId: DOMAIN, SpaceName: 'off' }));
    assert.equal(space.SpaceSettings?.RemoteAccess, 'ENABLED');
  });

  it('refuses an instance type without remote access before changing anything', async () => {
    const { sagemaker } = clientsFor(emulator());
    const before = emulator().calls.lastSeq;
    await assert.rejects(startSpace(sagemaker, studioSpaceTarget(DOMAIN, 'tiny'), options), {
      code: 'SpaceInstanceTypeUnsupported',
    });
    const writes = emulator()
      .calls.filter({ since: before })
      .filter((call) => call.operation === 'UpdateSpace' || call.operation === 'CreateApp');
    assert.deepEqual(writes, []);
    const started = await startSpace(sagemaker, studioSpaceTarget(DOMAIN, 'tiny'), {
      ...options,
      instanceType: 'ml.m5.xlarge',
    });
    assert.equal(started.state.app?.instanceType, 'ml.m5.xlarge');
  });

  it('stops waiting when cancelled, and says SageMaker carries on', async () => {
    const { sagemaker } = clientsFor(emulator());
    const cancellation = new CancellationSource();
    const target = studioSpaceTarget(DOMAIN, 'slow');
    const pending = startSpace(sagemaker, target, {
      ...options,
      signal: cancellation,
      onProgress: (line) => {
        if (line.startsWith('Waiting')) cancellation.cancel();
      },
    });
    await assert.rejects(pending, { code: 'Cancelled' });
    const state = await describeSpaceState(sagemaker, target);
    assert.ok(state.app && ['Pending', 'InService'].includes(state.app.status));
  });

  it('explains a refused StartSession: remote access off, space stopped', async () => {
    const { sagemaker } = clientsFor(emulator());
    const request = (space: string): Parameters<typeof startSpaceSession>[1] => ({
      target: studioSpaceTarget(DOMAIN, space),
      spaceArn: `arn:aws:sagemaker:us-east-1:123456789012:space/${DOMAIN}/${space}`,
      alias: `${space}.${DOMAIN}.space.sagemaker`,
      surface: 'cli',
    });
    await assert.rejects(
      startSpaceSession(sagemaker, request('tiny')),
      (error: Error & { code?: string }) => {
        // tiny was started above on ml.m5.xlarge with remote access: it runs; its session has no container.
        return error.code === undefined;
      },
    );
    await stopSpace(sagemaker, studioSpaceTarget(DOMAIN, 'tiny'), options);
    await assert.rejects(
      startSpaceSession(sagemaker, request('tiny')),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'SpaceNotRunning');
        assert.match(error.message, /sm-ssh space start tiny\.d-lifecycle01\.space\.sagemaker/);
        return true;
      },
    );
  });
});
