import * as assert from 'assert';
import type { ChildProcess } from 'child_process';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import type { TestingApi } from '../../../src/extension';
import type { AttachDebuggerResult } from '../../../src/commands/attachDebugger';
import type { DebugpyAttachConfiguration } from '../../../src/debug/debugConfiguration';
import type { DebugHandOff } from '../../../src/vscode/debugHandOff';
import { clearProfileSettings, useEmulatorProfile } from './awsProfile';
import { jobNode, labelOf, testingApi, treeItems } from './testingApi';
import { fetchText, freePort, startWebServer } from '../../builders/loopback';

/** Stands in for vscode.debug.startDebugging: code-server has no Python debugger extension. */
class RecordingDebugHandOff implements DebugHandOff {
  readonly started: { folder: vscode.WorkspaceFolder | undefined; config: DebugpyAttachConfiguration }[] = [];
  pythonDebugger(): string | undefined {
    return 'ms-python.debugpy';
  }
  start(folder: vscode.WorkspaceFolder | undefined, config: DebugpyAttachConfiguration): Promise<boolean> {
    this.started.push({ folder, config });
    return Promise.resolve(true);
  }
}

describe('Attach Python Debugger in the extension host', function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let api: TestingApi;
  let server: ChildProcess;
  let debugPort: number;
  const debuggerSettings = (): vscode.WorkspaceConfiguration =>
    vscode.workspace.getConfiguration('sagemakerSsh.debugger');

  before(async () => {
    api = await testingApi();
    const b = new ScenarioBuilder();
    b.trainingJob('debug-job', { status: 'InProgress', creationTime: '-10m', ssh: { owner: me.userId } });
    emulator = await startEmulator({ scenario: b.build() });
    await useEmulatorProfile(emulator, 'me');
    const { container } = emulator.containers.nodes().find((n) => n.resourceName === 'debug-job')!;
    const made = await container.exec('mkdir -p /tmp/dbg && echo "debugpy stand-in" > /tmp/dbg/index.txt');
    assert.strictEqual(made.code, 0, made.stderr);
    // Stands in for debugpy on its port (a random one, free on the host too: the forward may use the
    // same number locally). It answers the probe's DAP initialize with an HTTP 400, which is an answer.
    ({ port: debugPort, server } = await startWebServer(container, '/tmp/dbg'));
    await debuggerSettings().update('port', debugPort, vscode.ConfigurationTarget.Global);
  });
  afterEach(async () => {
    api.setDebugHandOff(undefined);
    // A test that failed half-way leaves no forward to the next one, which checks that none is left.
    await api.forwards.stopAll();
  });
  after(async () => {
    await debuggerSettings().update('port', undefined, vscode.ConfigurationTarget.Global);
    await api.forwards.stopAll();
    server?.kill();
    await clearProfileSettings();
    await emulator.close();
  });

  it('forwards the debugpy port and hands the exact attach configuration to the debugger', async () => {
    const handOff = new RecordingDebugHandOff();
    api.setDebugHandOff(handOff);
    const job = await jobNode(api, 'debug-job');
    const result = (await vscode.commands.executeCommand('sagemakerSsh.attachDebugger', job, {
      localRoot: '/home/me/training',
    })) as AttachDebuggerResult | undefined;
    assert.ok(result, `Attach Python Debugger failed: ${String(api.shownErrors.at(-1))}`);
    const { forward } = result;
    assert.strictEqual(forward.remotePort, debugPort);
    assert.strictEqual(forward.placeLabel, 'algo-1 of debug-job');
    assert.deepStrictEqual(
      handOff.started.map((s) => s.config),
      [
        {
          type: 'debugpy',
          request: 'attach',
          name: 'SageMaker: algo-1 of debug-job',
          connect: { host: '127.0.0.1', port: forward.localPort },
          pathMappings: [{ localRoot: '/home/me/training', remoteRoot: '/opt/ml/code' }],
          justMyCode: false,
        },
      ],
    );
    // The debugger's connection reaches the server in the container through the forward.
    const response = await fetchText(forward.localPort, '/index.txt');
    assert.strictEqual(response.status, 200);
    assert.strictEqual(response.body, 'debugpy stand-in\n');
    // The forward is listed under the node like any other.
    const job2 = await jobNode(api, 'debug-job');
    const algo1 = (await treeItems(api.explorer.trainingJobs, job2)).find(
      (r) => labelOf(r.item) === 'algo-1',
    );
    assert.ok(algo1);
    const children = await treeItems(api.explorer.trainingJobs, algo1.node);
    assert.deepStrictEqual(
      children.map((c) => labelOf(c.item)),
      [`${debugPort} → localhost:${forward.localPort}`],
    );

    // Attaching again reuses the running forward, and takes the remote root from the setting.
    await debuggerSettings().update('remoteRoot', '/opt/ml/code/src/', vscode.ConfigurationTarget.Global);
    try {
      const again = (await vscode.commands.executeCommand('sagemakerSsh.attachDebugger', algo1.node, {
        localRoot: '/home/me/training/src',
      })) as AttachDebuggerResult;
      assert.strictEqual(again.forward.id, forward.id);
      assert.deepStrictEqual(handOff.started[1].config.pathMappings, [
        { localRoot: '/home/me/training/src', remoteRoot: '/opt/ml/code/src' },
      ]);
    } finally {
      await debuggerSettings().update('remoteRoot', undefined, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('sagemakerSsh.stopForward', forward);
    assert.deepStrictEqual(api.forwards.list(), []);
  });

  it('offers to install the Python debugger when no extension contributes one (none in code-server)', async () => {
    const before = api.shownErrors.length;
    const job = await jobNode(api, 'debug-job');
    // The real detection (vscode.extensions.all): code-server has no Python extension installed.
    const result = await vscode.commands.executeCommand('sagemakerSsh.attachDebugger', job, {
      localRoot: '/home/me/training',
    });
    assert.strictEqual(result, undefined);
    const error = api.shownErrors.slice(before).at(-1) as {
      code?: string;
      actions: { command?: string; args?: unknown[] }[];
    };
    assert.strictEqual(error.code, 'NoPythonDebugger');
    assert.deepStrictEqual(
      error.actions.map((a) => [a.command, a.args]),
      [['workbench.extensions.installExtension', ['ms-python.debugpy']]],
    );
    assert.deepStrictEqual(api.forwards.list(), [], 'no forward is started');
  });

  it('says to start training under debugpy when nothing listens, and leaves no forward behind', async () => {
    const handOff = new RecordingDebugHandOff();
    api.setDebugHandOff(handOff);
    const before = api.shownErrors.length;
    const job = await jobNode(api, 'debug-job');
    const result = await vscode.commands.executeCommand('sagemakerSsh.attachDebugger', job, {
      localRoot: '/home/me/training',
      port: await freePort(),
      // Any free local number: the default (the same number) is what the first test covers.
      localPort: await freePort(),
    });
    assert.strictEqual(result, undefined);
    const error = api.shownErrors.slice(before).at(-1) as { code?: string; message: string };
    assert.strictEqual(error.code, 'NothingListens');
    assert.ok(error.message.includes('SSH_WAIT_FOR_DEBUGGER=true'), error.message);
    assert.deepStrictEqual(handOff.started, [], 'no debug session is started');
    assert.deepStrictEqual(api.forwards.list(), []);
  });
});
