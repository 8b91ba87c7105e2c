import * as assert from 'assert';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { installSpaceRuntime } from '../../emulator/containers/spaceRuntime';
import { ScenarioBuilder, me, other, testAccount } from '../../builders/scenarioBuilder';
import type { SpaceTerminalResult } from '../../../src/commands/openTerminal';
import { createHandOff } from '../../../src/vscode/handOff';
import type { TestingApi } from '../../../src/extension';
import type { ExplorerNode } from '../../../src/views/nodes/explorerNode';
import { clearProfileSettings, useEmulatorProfile } from './awsProfile';
import { ssh, sshOnPath, useSandboxSshConfig } from './sshSandbox';
import { labelOf, testingApi, treeItems } from './testingApi';

const domainId = 'd-spacehost01';

function scenario(): ReturnType<ScenarioBuilder['build']> {
  const b = new ScenarioBuilder().identities(me, other, {
    name: 'execution-role',
    accessKeyId: 'ASIAEXECUTIONROLE',
    secretAccessKey: 'execution-role-secret',
    sessionToken: 'ZXhlY3V0aW9uLXJvbGUtc2Vzc2lvbg==',
    arn: `arn:aws:sts::${testAccount}:assumed-role/SageMakerExecutionRole/SageMaker`,
    userId: 'AROAEXECUTIONROLE:SageMaker',
  });
  b.domain({
    id: domainId,
    name: 'remote',
    spaces: [
      {
        name: 'lab',
        appType: 'JupyterLab',
        remoteAccess: 'DISABLED',
        apps: [{ type: 'JupyterLab', name: 'default', status: 'Deleted', instanceType: 'ml.m5.large' }],
      },
      {
        name: 'tiny',
        appType: 'JupyterLab',
        apps: [{ type: 'JupyterLab', name: 'default', status: 'Deleted', instanceType: 'ml.t3.medium' }],
      },
    ],
  });
  return { ...b.build(), options: { stopDelayMs: 300 } };
}

async function space(api: TestingApi, name: string): Promise<{ node: ExplorerNode; item: vscode.TreeItem }> {
  await api.explorer.studio.refresh();
  const [domain] = await treeItems(api.explorer.studio);
  const owners = await treeItems(api.explorer.studio, domain.node);
  const found = owners.find((o) => labelOf(o.item) === name);
  assert.ok(found, `${name} not in the tree: ${owners.map((o) => labelOf(o.item)).join(', ')}`);
  return found;
}

describe('Studio spaces in the extension host: tree items, Start Space, Stop Space', function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let api: TestingApi;

  before(async () => {
    api = await testingApi();
    emulator = await startEmulator({ scenario: scenario() });
    installSpaceRuntime(emulator);
    await useEmulatorProfile(emulator, 'me');
    await useSandboxSshConfig({ sshPath: sshOnPath() });
  });
  after(async () => {
    api.setHandOff(undefined);
    await clearProfileSettings();
    await emulator.close();
  });

  it('shows a stopped space without remote access, and Start Space makes it a running remote-access space', async () => {
    const stopped = await space(api, 'lab');
    assert.strictEqual(stopped.item.contextValue, 'studioSpace');
    assert.strictEqual(stopped.item.description, 'space · 0 apps · stopped');

    const result = (await vscode.commands.executeCommand('sagemakerSsh.startSpace', stopped.node, {
      pollMs: 100,
    })) as { kind: string; state: { app?: { status: string; instanceType?: string } } } | undefined;
    assert.ok(result, `Start Space failed: ${String(api.shownErrors.at(-1))}`);
    assert.strictEqual(result.kind, 'done');
    assert.strictEqual(result.state.app?.status, 'InService');
    assert.strictEqual(result.state.app?.instanceType, 'ml.m5.large');

    const running = await space(api, 'lab');
    assert.strictEqual(running.item.contextValue, 'studioSpace remoteAccess running');
    assert.strictEqual(running.item.description, 'space · 1 app · JupyterLab InService · remote access');
  });

  it('Stop Space deletes the app and waits until it is gone', async () => {
    const running = await space(api, 'lab');
    const result = (await vscode.commands.executeCommand('sagemakerSsh.stopSpace', running.node, {
      pollMs: 100,
    })) as { kind: string } | undefined;
    assert.ok(result, `Stop Space failed: ${String(api.shownErrors.at(-1))}`);
    assert.strictEqual(result.kind, 'done');
    assert.strictEqual((await space(api, 'lab')).item.contextValue, 'studioSpace remoteAccess');
  });

  it('refuses an instance type without remote access, naming it, and changes nothing', async () => {
    const tiny = await space(api, 'tiny');
    const before = api.shownErrors.length;
    const result = await vscode.commands.executeCommand('sagemakerSsh.startSpace', tiny.node, {
      instanceType: 'ml.t3.medium',
    });
    assert.strictEqual(result, undefined);
    const error = api.shownErrors.at(-1) as Error & { code?: string };
    assert.ok(api.shownErrors.length > before, 'no error was shown');
    assert.strictEqual(error.code, 'SpaceInstanceTypeUnsupported');
    assert.strictEqual(emulator.calls.count({ operation: 'CreateApp' }), 1, 'only lab was started');
  });

  it('Connect on a stopped space says to start it', async () => {
    const tiny = await space(api, 'tiny');
    const before = api.shownErrors.length;
    await vscode.commands.executeCommand('sagemakerSsh.connect', tiny.node, { quiet: true });
    assert.ok(api.shownErrors.length > before, 'no error was shown');
    const error = api.shownErrors.at(-1) as Error & { code?: string };
    assert.strictEqual(error.code, 'SpaceRemoteAccessDisabled');
    assert.match(error.message, /Start Space/);
  });

  it('Open Terminal on a running space: a login shell as sagemaker-user; exit closes it', async () => {
    const started = await vscode.commands.executeCommand(
      'sagemakerSsh.startSpace',
      (await space(api, 'lab')).node,
      {
        pollMs: 100,
      },
    );
    assert.ok(started, `Start Space failed: ${String(api.shownErrors.at(-1))}`);
    const running = await space(api, 'lab');
    const result = (await vscode.commands.executeCommand('sagemakerSsh.openTerminal', running.node)) as
      SpaceTerminalResult | undefined;
    assert.ok(result, `Open Terminal failed: ${String(api.shownErrors.at(-1))}`);
    assert.strictEqual(result.terminal.name, 'space · lab');
    let text = '';
    const seen = (pattern: RegExp): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (pattern.test(text)) {
            subscription.dispose();
            resolve();
          }
        };
        const subscription = result.pty.onDidWrite((data) => {
          text += data;
          check();
        });
        check();
      });
    await result.pty.opened;
    result.pty.handleInput('id -un; pwd\r');
    await seen(/sagemaker-user\r\n\/home\/sagemaker-user/);
    result.pty.handleInput('exit 0\r');
    assert.strictEqual(await result.pty.ended, 0);
    result.terminal.dispose();
  });

  it('Connect on a running space: Remote-SSH opens /home/sagemaker-user, ssh works as sagemaker-user', async () => {
    const opened: { command: string; args: unknown[] }[] = [];
    api.setHandOff(
      createHandOff({
        executeCommand: async (command, ...args) => {
          opened.push({ command, args });
          return undefined;
        },
        installedRemoteSsh: () => 'ms-vscode-remote.remote-ssh',
      }),
    );
    const alias = `lab.${domainId}.space.sagemaker`;
    const result = (await vscode.commands.executeCommand(
      'sagemakerSsh.connect',
      (await space(api, 'lab')).node,
      {
        quiet: true,
      },
    )) as { alias: string } | undefined;
    assert.ok(result, `Connect failed: ${String(api.shownErrors.at(-1))}`);
    assert.strictEqual(result.alias, alias);
    assert.strictEqual(
      (opened.at(-1)!.args[0] as vscode.Uri).toString(true),
      `vscode-remote://ssh-remote+${alias}/home/sagemaker-user`,
    );
    assert.strictEqual(await ssh(alias, 'id -un'), 'sagemaker-user');
  });
});
