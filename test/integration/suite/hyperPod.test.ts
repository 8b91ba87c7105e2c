import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import type { TestingApi } from '../../../src/extension';
import type { OpenTerminalResult } from '../../../src/commands/openTerminal';
import { createHandOff } from '../../../src/vscode/handOff';
import { targetAlias } from '../../../src/targets/targetAlias';
import type { ExplorerNode } from '../../../src/views/nodes/explorerNode';
import { clearProfileSettings, useEmulatorProfile } from './awsProfile';
import { ssh, sshDir, sshOnPath, useSandboxSshConfig } from './sshSandbox';
import { labelOf, testingApi, treeItems } from './testingApi';

const CLUSTER_ID = 'hp0000000001';
const RUNNING = 'i-0aaaaaaaaaaaaaaa1';
const PENDING = 'i-0aaaaaaaaaaaaaaa2';
const CONTROLLER = 'i-0aaaaaaaaaaaaaaa3';
/** What finding a node from an alias costs; a node the view listed needs none of them. */
const RESOLVE_CALLS = ['DescribeCluster', 'DescribeClusterNode'];

function scenario(): ReturnType<ScenarioBuilder['build']> {
  return new ScenarioBuilder().identities(me).build({
    sagemaker: {
      clusters: [
        {
          name: 'train-cluster',
          id: CLUSTER_ID,
          creationTime: '-3d',
          instanceGroups: [
            { name: 'controller', instanceType: 'ml.c5.xlarge', nodes: [{ id: CONTROLLER }] },
            {
              name: 'gpu-workers',
              instanceType: 'ml.g5.2xlarge',
              nodes: [
                { id: RUNNING, container: true },
                { id: PENDING, status: 'Pending', message: 'deep health checks' },
              ],
            },
          ],
        },
        { name: 'new-cluster', status: 'Creating', creationTime: '-10m' },
      ],
    },
  });
}

/** Everything the pty writes from now on, and a wait for a pattern (a backstop fails with the text). */
function recorder(result: OpenTerminalResult): { until(pattern: RegExp): Promise<void> } {
  let text = '';
  const waiters: (() => void)[] = [];
  result.pty.onDidWrite((data) => {
    text += data;
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    async until(pattern) {
      const gaveUpAt = Date.now() + 30_000;
      while (!pattern.test(text)) {
        if (Date.now() > gaveUpAt)
          assert.fail(`the terminal never showed ${pattern}; it showed ${JSON.stringify(text)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 1000);
        });
      }
    },
  };
}

describe('HyperPod view in the extension host', function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let api: TestingApi;
  const opened: { command: string; args: unknown[] }[] = [];

  before(async () => {
    api = await testingApi();
    api.setHandOff(
      createHandOff({
        executeCommand: async (command, ...args) => {
          opened.push({ command, args });
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
    await clearProfileSettings();
    await emulator.close();
  });

  async function nodeItem(instanceId: string): Promise<{ node: ExplorerNode; item: vscode.TreeItem }> {
    await api.explorer.hyperPod.refresh();
    const clusters = await treeItems(api.explorer.hyperPod);
    const cluster = clusters.find((c) => labelOf(c.item) === 'train-cluster')!;
    for (const group of await treeItems(api.explorer.hyperPod, cluster.node)) {
      const found = (await treeItems(api.explorer.hyperPod, group.node)).find(
        (n) => labelOf(n.item) === instanceId,
      );
      if (found) return found;
    }
    return assert.fail(`${instanceId} is not in the HyperPod view`);
  }

  it('shows clusters (newest first) → instance groups → nodes with their status and menus', async () => {
    await api.explorer.hyperPod.refresh();
    const clusters = await treeItems(api.explorer.hyperPod);
    assert.deepStrictEqual(
      clusters.map((c) => [labelOf(c.item), c.item.contextValue]),
      [
        ['new-cluster', 'hyperPodCluster'],
        ['train-cluster', 'hyperPodCluster inService'],
      ],
    );
    const groups = await treeItems(api.explorer.hyperPod, clusters[1]!.node);
    assert.deepStrictEqual(
      groups.map((g) => [labelOf(g.item), g.item.description]),
      [
        ['controller', 'ml.c5.xlarge · 1/1 running · InService'],
        ['gpu-workers', 'ml.g5.2xlarge · 1/2 running · InService'],
      ],
    );
    const workers = await treeItems(api.explorer.hyperPod, groups[1]!.node);
    assert.deepStrictEqual(
      workers.map((n) => [labelOf(n.item), n.item.contextValue]),
      [
        [RUNNING, 'hyperPodNode running'],
        [PENDING, 'hyperPodNode'],
      ],
    );
    assert.match(String(workers[1]!.item.description), /^Pending/);
  });

  it('Open Terminal on a running node runs hostname there, with no AWS lookup beyond the view', async () => {
    const { node } = await nodeItem(RUNNING);
    const since = emulator.calls.lastSeq;
    const result = (await vscode.commands.executeCommand('sagemakerSsh.openTerminal', node)) as
      OpenTerminalResult | undefined;
    assert.ok(result, `Open Terminal failed: ${String(api.shownErrors.at(-1))}`);
    assert.strictEqual(result.terminal.name, `${RUNNING} · train-cluster`);
    const host = emulator.containers.list().find((c) => c.id.endsWith(RUNNING))!.spec.hostname;
    const output = recorder(result);
    await result.pty.opened;
    result.pty.handleInput('hostname\r');
    await output.until(new RegExp(`\\r\\n${host}\\r\\n`));
    // The view may poll (ListClusters…) meanwhile; resolving the node would be Describe* calls.
    const lookups = emulator.calls.filter({ since }).filter((c) => RESOLVE_CALLS.includes(c.operation));
    assert.deepStrictEqual(lookups, [], 'the node the view listed is used as is');
    result.terminal.dispose();
    await result.pty.ended;
  });

  it('Connect installs the key for ubuntu and plain ssh reaches the node through our ProxyCommand', async () => {
    const { node } = await nodeItem(RUNNING);
    const since = emulator.calls.lastSeq;
    const started = Date.now();
    const result = (await vscode.commands.executeCommand('sagemakerSsh.connect', node, { quiet: true })) as
      { alias: string } | undefined;
    assert.ok(result, `Connect failed: ${String(api.shownErrors.at(-1))}`);
    const alias = targetAlias({
      kind: 'hyperPodNode',
      clusterName: 'train-cluster',
      group: 'gpu-workers',
      instanceId: RUNNING,
    });
    assert.strictEqual(result.alias, alias);
    const calls = emulator.calls
      .filter({ since })
      .filter((c) => [...RESOLVE_CALLS, 'StartSession', 'TerminateSession'].includes(c.operation))
      .map((c) => c.operation);
    // A figure for the report: a first Connect from the view is one shell session, no SageMaker call.
    console.log(`      first connect (view): ${calls.join(', ')} in ${Date.now() - started} ms`);
    assert.deepStrictEqual(
      calls.filter((op) => op !== 'TerminateSession'),
      ['StartSession'],
    );
    const call = opened.at(-1)!;
    assert.strictEqual(call.command, 'vscode.openFolder');
    assert.strictEqual(
      (call.args[0] as vscode.Uri).toString(true),
      `vscode-remote://ssh-remote+${alias}/home/ubuntu`,
    );
    const ours = fs.readFileSync(path.join(sshDir(), 'sagemaker-ssh', 'config'), 'utf8');
    assert.match(
      ours,
      new RegExp(`start-proxy ${alias.replace(/\./g, '\\.')} [^\\n]*--cluster-id ${CLUSTER_ID}`),
    );
    assert.strictEqual(await ssh(alias, 'whoami'), 'ubuntu');
    assert.strictEqual(await ssh('sagemaker-hyperpod', 'whoami'), 'ubuntu');
  });

  it('a node SageMaker no longer lists gives an error naming it, with a Refresh action', async () => {
    const { node } = await nodeItem(RUNNING);
    const replaced = node as ExplorerNode & { checkedAt: number };
    // What the view showed is too old to trust, and the node is gone since: SageMaker is asked.
    const stale = Object.assign(
      Object.create(Object.getPrototypeOf(replaced) as object) as object,
      replaced,
      {
        checkedAt: 0,
        node: { ...(replaced as unknown as { node: object }).node, instanceId: 'i-0ffffffffffffffff' },
      },
    );
    const before = api.shownErrors.length;
    await vscode.commands.executeCommand('sagemakerSsh.openTerminal', stale);
    assert.ok(api.shownErrors.length > before, 'the command showed no error');
    const error = api.shownErrors.at(-1) as Error & { code?: string };
    assert.strictEqual(error.code, 'HyperPodNodeNotFound');
    const actions = (error as unknown as { actions: { command: string }[] }).actions;
    assert.deepStrictEqual(
      actions.map((action) => action.command),
      ['sagemakerSsh.refreshHyperPod'],
    );
  });
});
