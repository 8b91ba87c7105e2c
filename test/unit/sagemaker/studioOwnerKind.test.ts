import * as assert from 'node:assert/strict';
import { studioOwnerKind } from '../../../src/sagemaker/studio';
import { connect, useAwsEnvironment } from '../../builders/awsEnvironment';
import { ScenarioBuilder } from '../../builders/scenarioBuilder';
import { useEmulator } from '../../support/emulator';

const domainId = 'd-ownerkind01';

function scenario(): ReturnType<ScenarioBuilder['build']> {
  const b = new ScenarioBuilder();
  // A user profile and a space may share a name: the app, not the owner's name, decides.
  b.domain({
    id: domainId,
    name: 'owners',
    userProfiles: [{ name: 'shared', apps: [{ type: 'KernelGateway', name: 'kgw-1', status: 'InService' }] }],
    spaces: [{ name: 'shared', apps: [{ type: 'JupyterLab', name: 'default', status: 'InService' }] }],
  });
  return b.build();
}

describe('studioOwnerKind: whose app an alias names (one filtered ListApps)', () => {
  const emulator = useEmulator(scenario());
  useAwsEnvironment(() => emulator().env('me'));

  it('a space app is a space, a Studio Classic app a user profile, even when both owners share a name', async () => {
    const sagemaker = await (await connect()).clients.sagemaker();
    const app = { domainId, ownerName: 'shared' };
    assert.equal(
      await studioOwnerKind(sagemaker, { ...app, appName: 'default', appType: 'JupyterLab' }),
      'space',
    );
    assert.equal(await studioOwnerKind(sagemaker, { ...app, appName: 'default' }), 'space');
    assert.equal(
      await studioOwnerKind(sagemaker, { ...app, appName: 'kgw-1', appType: 'KernelGateway' }),
      'userProfile',
    );
    assert.equal(
      await studioOwnerKind(sagemaker, { ...app, appName: 'default', appType: 'CodeEditor' }),
      'userProfile',
      'no CodeEditor app of that name in the space',
    );
  });
});
