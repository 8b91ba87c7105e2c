import * as assert from 'assert';
import type { ChildProcess } from 'child_process';
import { createServer, type AddressInfo } from 'net';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import type { TestingApi } from '../../../src/extension';
import type { ForwardInfo } from '../../../src/forward/forwardManager';
import type { ExplorerNode } from '../../../src/views/nodes/explorerNode';
import { clearProfileSettings, useEmulatorProfile } from './awsProfile';
import { jobNode, labelOf, testingApi, treeItems } from './testingApi';
import { accepts, fetchText, freePort, startWebServer } from '../../builders/loopback';

/** The children of a job's node `name` as the tree renders them. */
async function nodeRow(
  api: TestingApi,
  jobName: string,
  name: string,
): Promise<{ node: ExplorerNode; item: vscode.TreeItem }> {
  const job = await jobNode(api, jobName);
  const row = (await treeItems(api.explorer.trainingJobs, job)).find((r) => labelOf(r.item) === name);
  assert.ok(row, `${name} is not under ${jobName}`);
  return row;
}

describe('Forward Port in the extension host', function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let api: TestingApi;
  let web: ChildProcess;
  let webPort: number;

  before(async () => {
    api = await testingApi();
    const b = new ScenarioBuilder();
    b.trainingJob('web-job', { status: 'InProgress', creationTime: '-10m', ssh: { owner: me.userId } });
    b.trainingJob('asleep-job', {
      status: 'InProgress',
      creationTime: '-20m',
      ssh: { owner: me.userId, pingStatus: 'ConnectionLost' },
    });
    b.domain({
      id: 'd-fwd00001',
      name: 'research',
      spaces: [
        {
          name: 'team-space',
          apps: [{ type: 'JupyterLab', name: 'default', status: 'InService', ssh: { owner: me.userId } }],
        },
      ],
    });
    emulator = await startEmulator({ scenario: b.build() });
    await useEmulatorProfile(emulator, 'me');
    const { container } = emulator.containers.nodes().find((n) => n.resourceName === 'web-job')!;
    const made = await container.exec(
      'mkdir -p /tmp/www && echo "hello from $(hostname)" > /tmp/www/index.txt',
    );
    assert.strictEqual(made.code, 0, made.stderr);
    ({ port: webPort, server: web } = await startWebServer(container, '/tmp/www'));
  });
  after(async () => {
    await api.forwards.stopAll();
    web?.kill();
    await clearProfileSettings();
    await emulator.close();
  });

  it('forwards a port of a node: the item appears under it, HTTP works, Stop removes it and frees the port', async () => {
    const job = await jobNode(api, 'web-job');
    const forward = (await vscode.commands.executeCommand('sagemakerSsh.forwardPort', job, {
      port: webPort,
      quiet: true,
    })) as ForwardInfo | undefined;
    assert.ok(forward, `Forward Port failed: ${String(api.shownErrors.at(-1))}`);

    const jobItem = async (): Promise<vscode.TreeItem> =>
      api.explorer.trainingJobs.getTreeItem(await jobNode(api, 'web-job'));
    assert.strictEqual((await jobItem()).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    const algo1 = await nodeRow(api, 'web-job', 'algo-1');
    assert.strictEqual(algo1.item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    const children = await treeItems(api.explorer.trainingJobs, algo1.node);
    assert.deepStrictEqual(
      children.map((c) => [labelOf(c.item), c.item.contextValue, c.item.description]),
      [[`${webPort} → localhost:${forward.localPort}`, 'portForward', 'forwarding']],
    );

    const response = await fetchText(forward.localPort, '/index.txt');
    assert.strictEqual(response.status, 200);
    assert.strictEqual(response.body, 'hello from algo-1\n');
    const relay = emulator.containers.sessions!.relays().at(-1)!;

    await vscode.commands.executeCommand('sagemakerSsh.stopForward', children[0].node);
    assert.strictEqual(await accepts(forward.localPort), false, 'the local port is free again');
    assert.deepStrictEqual(api.forwards.list(), []);
    const after = await nodeRow(api, 'web-job', 'algo-1');
    assert.strictEqual(after.item.collapsibleState, vscode.TreeItemCollapsibleState.None);
    assert.strictEqual((await jobItem()).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.deepStrictEqual(await treeItems(api.explorer.trainingJobs, after.node), []);
    while (!relay.isClosed) await new Promise((resolve) => setTimeout(resolve, 20));
  });

  it('offers the same forward again instead of a second session for the same node and port', async () => {
    const job = await jobNode(api, 'web-job');
    const first = (await vscode.commands.executeCommand('sagemakerSsh.forwardPort', job, {
      port: webPort,
      quiet: true,
    })) as ForwardInfo;
    const algo1 = await nodeRow(api, 'web-job', 'algo-1');
    const second = (await vscode.commands.executeCommand('sagemakerSsh.forwardPort', algo1.node, {
      port: webPort,
      quiet: true,
    })) as ForwardInfo;
    assert.strictEqual(second.id, first.id);
    await vscode.commands.executeCommand('sagemakerSsh.stopForward', first);
    assert.deepStrictEqual(api.forwards.list(), []);
  });

  it('forwards a port of a Studio app and lists it under the app', async () => {
    const appRow = async (): Promise<{ node: ExplorerNode; item: vscode.TreeItem }> => {
      await api.explorer.studio.refresh();
      const [domain] = await treeItems(api.explorer.studio);
      const [space] = await treeItems(api.explorer.studio, domain.node);
      const [app] = await treeItems(api.explorer.studio, space.node);
      assert.strictEqual(labelOf(app.item), 'default');
      return app;
    };
    // The app's container has its own network: its own web server.
    const appContainer = emulator.containers.nodes().find((n) => n.kind === 'app')!.container;
    const made = await appContainer.exec(
      'mkdir -p /tmp/www && echo "hello from the app" > /tmp/www/index.txt',
    );
    assert.strictEqual(made.code, 0, made.stderr);
    const appWeb = await startWebServer(appContainer, '/tmp/www');
    const app = await appRow();
    const forward = (await vscode.commands.executeCommand('sagemakerSsh.forwardPort', app.node, {
      port: appWeb.port,
      quiet: true,
    })) as ForwardInfo | undefined;
    assert.ok(forward, `Forward Port failed: ${String(api.shownErrors.at(-1))}`);
    assert.strictEqual(forward.placeLabel, 'default (team-space)');
    const shown = await appRow();
    assert.strictEqual(shown.item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    const children = await treeItems(api.explorer.studio, shown.node);
    assert.deepStrictEqual(
      children.map((c) => labelOf(c.item)),
      [`${appWeb.port} → localhost:${forward.localPort}`],
    );
    assert.strictEqual((await fetchText(forward.localPort, '/index.txt')).body, 'hello from the app\n');
    await vscode.commands.executeCommand('sagemakerSsh.stopForward', children[0].node);
    assert.deepStrictEqual(await treeItems(api.explorer.studio, (await appRow()).node), []);
  });

  it('shows "nothing listens there" on the item when the container refuses the connection', async () => {
    const job = await jobNode(api, 'web-job');
    const nothing = await freePort();
    const forward = (await vscode.commands.executeCommand('sagemakerSsh.forwardPort', job, {
      port: nothing,
      localPort: await freePort(),
      quiet: true,
    })) as ForwardInfo;
    let onProblem: (info: ForwardInfo, error: { code: string }) => void = () => undefined;
    const refused = new Promise<void>((resolve) => {
      onProblem = (info, error) => {
        if (info.id === forward.id && error.code === 'NothingListens') resolve();
      };
      api.forwards.on('problem', onProblem);
    });
    await assert.rejects(fetchText(forward.localPort, '/'));
    await refused;
    api.forwards.off('problem', onProblem);
    const children = await treeItems(
      api.explorer.trainingJobs,
      (await nodeRow(api, 'web-job', 'algo-1')).node,
    );
    assert.deepStrictEqual(
      children.map((c) => c.item.description),
      ['nothing listens there'],
    );
    await vscode.commands.executeCommand('sagemakerSsh.stopForward', forward);
  });

  it('names a local port in use and offers a free one', async () => {
    const before = api.shownErrors.length;
    const job = await jobNode(api, 'web-job');
    const busy = createServer();
    const busyPort = await new Promise<number>((resolve) =>
      busy.listen(0, '127.0.0.1', () => resolve((busy.address() as AddressInfo).port)),
    );
    let result: unknown;
    try {
      result = await vscode.commands.executeCommand('sagemakerSsh.forwardPort', job, {
        port: 8888,
        localPort: busyPort,
        quiet: true,
      });
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
    assert.strictEqual(result, undefined);
    const error = api.shownErrors.slice(before).at(-1) as {
      code?: string;
      suggestion?: number;
      actions: { title: string; command?: string; args?: unknown[] }[];
    };
    assert.strictEqual(error.code, 'LocalPortInUse');
    assert.deepStrictEqual(
      error.actions.map((a) => [a.title, a.command, a.args?.[1]]),
      [
        [
          `Use Port ${error.suggestion}`,
          'sagemakerSsh.forwardPort',
          { port: 8888, localPort: error.suggestion },
        ],
      ],
    );
    assert.deepStrictEqual(api.forwards.list(), []);
  });

  it('says the node is offline', async () => {
    const before = api.shownErrors.length;
    const job = await jobNode(api, 'asleep-job');
    const result = await vscode.commands.executeCommand('sagemakerSsh.forwardPort', job, {
      port: 8888,
      quiet: true,
    });
    assert.strictEqual(result, undefined);
    assert.ok(api.shownErrors.length > before, 'no error shown');
    assert.strictEqual((api.shownErrors.at(-1) as { code?: string }).code, 'InstanceOffline');
  });

  it('rejects a port out of range', async () => {
    const before = api.shownErrors.length;
    const job = await jobNode(api, 'web-job');
    await vscode.commands.executeCommand('sagemakerSsh.forwardPort', job, { port: 70000, quiet: true });
    assert.strictEqual((api.shownErrors.slice(before).at(-1) as { code?: string }).code, 'InvalidPort');
  });
});
