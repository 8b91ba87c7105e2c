import * as assert from 'assert';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me, other } from '../../builders/scenarioBuilder';
import type { TestingApi } from '../../../src/extension';
import type { OpenTerminalResult } from '../../../src/commands/openTerminal';
import { clearProfileSettings, useEmulatorProfile } from './awsProfile';
import { jobNode, labelOf, testingApi, treeItems } from './testingApi';
import { createHandOff } from '../../../src/vscode/handOff';
import { ssh, sshOnPath, useSandboxSshConfig } from './sshSandbox';
import { targetAlias } from '../../../src/targets/targetAlias';
import { remoteDebugNodeTarget } from '../../../src/targets/remoteDebugNode';

const noUpdate = {
  ...other,
  name: 'noupdate',
  accessKeyId: 'AKIANOUPDATE',
  deny: ['sagemaker:UpdateTrainingJob'],
};

function scenario(): ReturnType<ScenarioBuilder['build']> {
  return new ScenarioBuilder()
    .trainingJob('Debug-Train', { instanceCount: 2, creationTime: '-10m', remoteDebug: { nodes: 2 } })
    .trainingJob('Later-Train', { creationTime: '-20m', remoteDebug: { enabled: false } })
    .trainingJob('Xgb-Train', { creationTime: '-30m', algorithmName: 'xgboost' })
    .identities(me, other, noUpdate)
    .build();
}

async function lastError(api: TestingApi, before: number): Promise<Error & { code?: string }> {
  assert.ok(api.shownErrors.length > before, 'the command showed no error');
  return api.shownErrors[api.shownErrors.length - 1] as Error & { code?: string };
}

/** Runs `hostname` in an Open Terminal pty and resolves with what came back. */
async function hostnameIn(result: OpenTerminalResult): Promise<string> {
  let text = '';
  const seen = new Promise<string>((resolve) =>
    result.pty.onDidWrite((data) => {
      text += data;
      const match = /\r\n(algo-\d+)\r\n/.exec(text);
      if (match) resolve(match[1]!);
    }),
  );
  await result.pty.opened;
  result.pty.handleInput('hostname\r');
  return seen;
}

describe('Remote debug training jobs in the extension host (native SSM targets)', function () {
  this.timeout(90_000);
  let emulator: Emulator;
  let api: TestingApi;

  const openedFolders: string[] = [];

  before(async () => {
    api = await testingApi();
    // Remote-SSH cannot run here: record the vscode.openFolder a Remote-SSH extension would act on.
    api.setHandOff(
      createHandOff({
        executeCommand: async (_command, ...args) => {
          openedFolders.push((args[0] as vscode.Uri).toString(true));
          return undefined;
        },
        installedRemoteSsh: () => 'ms-vscode-remote.remote-ssh',
      }),
    );
    emulator = await startEmulator({ scenario: scenario() });
    await useEmulatorProfile(emulator, 'me');
    await useSandboxSshConfig({ sshPath: sshOnPath() });
  });
  after(async () => {
    api.setHandOff(undefined);
    for (const terminal of vscode.window.terminals) terminal.dispose();
    await clearProfileSettings();
    await emulator.close();
  });

  it('a job with remote debug shows "SSM debug" and its nodes algo-1, algo-2 as remote-debug items', async () => {
    const job = await jobNode(api, 'Debug-Train');
    const item = await api.explorer.trainingJobs.getTreeItem(job);
    assert.match(String(item.description), /SSM debug/);
    assert.match(item.contextValue ?? '', /^trainingJob\b.*\bremoteDebug\b/);
    assert.doesNotMatch(item.contextValue ?? '', /\bcanEnableDebug\b/);
    const nodes = await treeItems(api.explorer.trainingJobs, job);
    assert.deepStrictEqual(
      nodes.map((n) => [labelOf(n.item), n.item.description, n.item.contextValue]),
      [
        ['algo-1', 'SSM debug', 'remoteDebugNode inProgress'],
        ['algo-2', 'SSM debug', 'remoteDebugNode inProgress'],
      ],
    );
  });

  it('Open Terminal on algo-2 reaches that node through sagemaker-training-job:<job>_algo-2', async () => {
    const nodes = await treeItems(api.explorer.trainingJobs, await jobNode(api, 'Debug-Train'));
    const since = emulator.calls.lastSeq;
    const result = (await vscode.commands.executeCommand('sagemakerSsh.openTerminal', nodes[1]!.node)) as
      OpenTerminalResult | undefined;
    assert.ok(result, `Open Terminal failed: ${String(api.shownErrors.at(-1))}`);
    assert.strictEqual(result.instanceId, 'sagemaker-training-job:Debug-Train_algo-2');
    assert.strictEqual(await hostnameIn(result), 'algo-2');
    // (The view's own refreshes may call SSM meanwhile; the terminal made one session.)
    assert.strictEqual(emulator.calls.count({ operation: 'StartSession', since }), 1);
    result.terminal.dispose();
  });

  it('Connect on algo-1 starts sshd over a shell session, pins its keys, hands off; plain ssh then works', async () => {
    const nodes = await treeItems(api.explorer.trainingJobs, await jobNode(api, 'Debug-Train'));
    const result = (await vscode.commands.executeCommand('sagemakerSsh.connect', nodes[0]!.node, {
      quiet: true,
    })) as { alias: string } | undefined;
    assert.ok(result, `Connect failed: ${String(api.shownErrors.at(-1))}`);
    const alias = targetAlias(remoteDebugNodeTarget('Debug-Train'));
    assert.strictEqual(result.alias, alias);
    assert.strictEqual(openedFolders.at(-1), `vscode-remote://ssh-remote+${alias}/opt/ml/code`);
    assert.strictEqual(await ssh(alias, 'hostname'), 'algo-1');
  });

  it('Enable Remote Debug: denied names sagemaker:UpdateTrainingJob; allowed, the job shows SSM debug', async () => {
    const job = await jobNode(api, 'Later-Train');
    const before = await api.explorer.trainingJobs.getTreeItem(job);
    assert.match(before.contextValue ?? '', /\bcanEnableDebug\b/);
    await useEmulatorProfile(emulator, 'noupdate', 'noupdate');
    try {
      const errors = api.shownErrors.length;
      assert.strictEqual(
        await vscode.commands.executeCommand('sagemakerSsh.enableRemoteDebug', job),
        undefined,
      );
      const error = await lastError(api, errors);
      assert.strictEqual(error.code, 'AccessDenied');
      assert.match(error.message, /sagemaker:UpdateTrainingJob/);
    } finally {
      await useEmulatorProfile(emulator, 'me');
    }
    const enabled = await vscode.commands.executeCommand(
      'sagemakerSsh.enableRemoteDebug',
      await jobNode(api, 'Later-Train'),
    );
    assert.deepStrictEqual(enabled, { jobName: 'Later-Train' });
    const after = await jobNode(api, 'Later-Train');
    assert.match(String((await api.explorer.trainingJobs.getTreeItem(after)).description), /SSM debug/);
    const [algo1] = await treeItems(api.explorer.trainingJobs, after);
    const result = (await vscode.commands.executeCommand('sagemakerSsh.openTerminal', algo1!.node)) as
      OpenTerminalResult | undefined;
    assert.ok(result, `Open Terminal failed: ${String(api.shownErrors.at(-1))}`);
    assert.strictEqual(await hostnameIn(result), 'algo-1');
    result.terminal.dispose();
  });

  it('a built-in algorithm job offers no Enable Remote Debug, and the command says why', async () => {
    const job = await jobNode(api, 'Xgb-Train');
    assert.doesNotMatch(
      (await api.explorer.trainingJobs.getTreeItem(job)).contextValue ?? '',
      /canEnableDebug/,
    );
    const errors = api.shownErrors.length;
    const since = emulator.calls.lastSeq;
    assert.strictEqual(
      await vscode.commands.executeCommand('sagemakerSsh.enableRemoteDebug', job),
      undefined,
    );
    const error = await lastError(api, errors);
    assert.strictEqual(error.code, 'RemoteDebugUnavailable');
    assert.match(error.message, /built-in algorithm xgboost/);
    assert.strictEqual(emulator.calls.count({ operation: 'UpdateTrainingJob', since }), 0);
  });
});
