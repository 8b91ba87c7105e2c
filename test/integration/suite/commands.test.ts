import * as assert from 'assert';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { clearProfileSettings, useEmulatorProfile } from './awsProfile';
import { contributedCommands, testingApi } from './testingApi';

describe('commands and AWS access in the extension host', () => {
  let emulator: Emulator;
  before(async () => {
    await testingApi();
    emulator = await startEmulator({ scenario: new ScenarioBuilder().trainingJob('job-a').build() });
    await useEmulatorProfile(emulator, 'me');
  });
  after(async () => {
    await clearProfileSettings();
    await emulator.close();
  });

  it('registers every command it contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributedCommands.filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, []);
  });

  it('reports errors by their class name, not a minified one (the bundle keeps class names)', async () => {
    const api = await testingApi();
    const before = api.shownErrors.length;
    await vscode.commands.executeCommand('sagemakerSsh.stopWaiting', { label: 'not one of ours' });
    const shown = api.shownErrors.slice(before);
    assert.strictEqual(shown.length, 1);
    const error = shown[0] as Error & { code?: string };
    assert.strictEqual(error.code, 'NotAnSshItem');
    assert.strictEqual(error.name, 'NotAnSshItemError');
  });

  it('says the item was replaced when a tree menu passes none (the view refreshed under the open menu)', async () => {
    const api = await testingApi();
    for (const command of [
      'sagemakerSsh.connect',
      'sagemakerSsh.stopWaiting',
      'sagemakerSsh.copyName',
      'sagemakerSsh.attachDebugger',
    ]) {
      const before = api.shownErrors.length;
      await vscode.commands.executeCommand(command);
      const shown = api.shownErrors.slice(before) as (Error & { code?: string })[];
      assert.deepStrictEqual(
        shown.map((e) => e.code),
        ['TreeItemGone'],
        command,
      );
      assert.match(shown[0].message, /Run it again on the item in the refreshed view/);
    }
  });

  it('reaches the emulator through the profile chosen in settings (endpoint_url)', async () => {
    const report = (await vscode.commands.executeCommand('sagemakerSsh.showIdentity')) as {
      arn: string;
      profile: string;
    };
    assert.ok(report, 'showIdentity returned nothing; see the notification in the log');
    assert.strictEqual(report.arn, me.arn);
    assert.strictEqual(report.profile, 'emulator');
    // Cached per profile and region: the views may already have asked, but only once.
    assert.strictEqual(emulator.calls.count({ operation: 'GetCallerIdentity' }), 1);
  });
});
