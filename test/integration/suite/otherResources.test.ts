import * as assert from 'assert';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me, testAccount, testRegion } from '../../builders/scenarioBuilder';
import type { OpenTerminalResult } from '../../../src/commands/openTerminal';
import type { TestingApi } from '../../../src/extension';
import type { SshTarget } from '../../../src/targets/sshTarget';
import type { ExplorerNode } from '../../../src/views/nodes/explorerNode';
import { targetAlias } from '../../../src/targets/targetAlias';
import { payloadResourceTarget } from '../../../src/targets/payloadResource';
import { clearProfileSettings, useEmulatorProfile } from './awsProfile';
import { labelOf, testingApi, treeItems } from './testingApi';

/** What Connect, Open Terminal and Stop Waiting act on (the extension's classes are bundled apart from this test's). */
const targetOf = (node: ExplorerNode): SshTarget => (node as unknown as { target: SshTarget }).target;

const listCalls = ['ListProcessingJobs', 'ListTransformJobs', 'ListEndpoints', 'ListNotebookInstances'];

const arn = (type: string, name: string): string =>
  `arn:aws:sagemaker:${testRegion}:${testAccount}:${type}/${name.toLowerCase()}`;

function scenario(): ReturnType<ScenarioBuilder['build']> {
  const b = new ScenarioBuilder();
  // Registrations as upstream's sm-init-ssm makes them: no SSHHost tag, nodes told apart by ComputerName.
  b.registration('Prep-Data', arn('processing-job', 'Prep-Data'), { computerName: 'algo-1' });
  b.registration('Prep-Data', arn('processing-job', 'Prep-Data'), { computerName: 'algo-2' });
  b.registration('nb-1', arn('notebook-instance', 'nb-1'), { computerName: 'algo-1-x7k2q' });
  const built = b.build();
  return {
    ...built,
    sagemaker: {
      ...built.sagemaker,
      processingJobs: [
        { name: 'Prep-Data', creationTime: '-10m', instanceCount: 2 },
        { name: 'old-prep', status: 'Completed', creationTime: '-2d' },
      ],
      notebookInstances: [{ name: 'nb-1', creationTime: '-3d' }],
    },
  };
}

describe('Other Resources view in the extension host (issue 12, item 5)', () => {
  let emulator: Emulator;
  let api: TestingApi;
  before(async () => {
    api = await testingApi();
    emulator = await startEmulator({ scenario: scenario() });
    await useEmulatorProfile(emulator, 'me');
    await api.explorer.resources.reset();
  });
  after(async () => {
    await clearProfileSettings();
    await emulator.close();
  });

  it('shows a collapsed section per type and lists nothing until one is expanded', async () => {
    const sections = await treeItems(api.explorer.resources);
    assert.deepStrictEqual(
      sections.map((s) => labelOf(s.item)),
      ['Processing Jobs', 'Transform Jobs', 'Endpoints', 'Notebook Instances'],
    );
    for (const { item } of sections) {
      assert.strictEqual(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
      assert.strictEqual(item.contextValue, 'payloadSection');
    }
    assert.deepStrictEqual(
      emulator.calls
        .filter({ service: 'sagemaker' })
        .map((c) => c.operation)
        .filter((operation) => listCalls.includes(operation)),
      [],
    );
  });

  it('expands Processing Jobs into jobs with status and SSH n/m readiness, and nodes named from ComputerName', async () => {
    const [processing] = await treeItems(api.explorer.resources);
    const jobs = await treeItems(api.explorer.resources, processing.node);
    assert.deepStrictEqual(
      jobs.map((j) => labelOf(j.item)),
      ['Prep-Data', 'old-prep'],
    );
    const prep = jobs[0].item;
    assert.match(String(prep.description), /^SSH 2\/2 · InProgress · \d+m$/);
    assert.strictEqual(prep.contextValue, 'payloadResource running ssh sshReady');
    assert.strictEqual(jobs[1].item.contextValue, 'payloadResource');
    const nodes = await treeItems(api.explorer.resources, jobs[0].node);
    assert.deepStrictEqual(
      nodes.map((n) => [labelOf(n.item), n.item.contextValue]),
      [
        ['algo-1', 'payloadNode running sshReady'],
        ['algo-2', 'payloadNode running sshReady'],
      ],
    );
    // What Connect / Open Terminal / Stop Waiting act on: the node's own alias.
    assert.strictEqual(
      targetAlias(targetOf(nodes[1].node)),
      targetAlias(payloadResourceTarget('processing', 'Prep-Data', 2)),
    );
    const [section] = await treeItems(api.explorer.resources);
    assert.strictEqual(section.item.description, '2 · 1 SSH-ready');
  });

  it('lists the notebook instance with its registration, and no endpoints', async () => {
    const sections = await treeItems(api.explorer.resources);
    const endpoints = await treeItems(api.explorer.resources, sections[2].node);
    assert.deepStrictEqual(
      endpoints.map((e) => labelOf(e.item)),
      ['None'],
    );
    const notebooks = await treeItems(api.explorer.resources, sections[3].node);
    assert.deepStrictEqual(
      notebooks.map((n) => [labelOf(n.item), n.item.contextValue]),
      [['nb-1', 'payloadResource running ssh sshReady']],
    );
    assert.strictEqual(targetAlias(targetOf(notebooks[0].node)), 'nb-1.notebook.sagemaker');
  });

  it('reloads only the expanded sections on refresh', async () => {
    const before = emulator.calls.count({ service: 'sagemaker', operation: 'ListTransformJobs' });
    await api.explorer.resources.refresh();
    assert.strictEqual(
      emulator.calls.count({ service: 'sagemaker', operation: 'ListTransformJobs' }),
      before,
    );
    assert.ok(emulator.calls.count({ service: 'sagemaker', operation: 'ListProcessingJobs' }) >= 2);
  });
});

describe('Other Resources: commands on a processing job running the payload (issue 12, item 5)', function () {
  this.timeout(90_000);
  let emulator: Emulator;
  let api: TestingApi;
  before(async () => {
    api = await testingApi();
    const built = new ScenarioBuilder().build();
    emulator = await startEmulator({
      scenario: {
        ...built,
        sagemaker: {
          ...built.sagemaker,
          processingJobs: [
            {
              name: 'Shell-Prep',
              creationTime: '-5m',
              instanceCount: 2,
              ssh: { nodes: 2, owner: me.userId },
            },
          ],
        },
      },
    });
    await useEmulatorProfile(emulator, 'me');
    await api.explorer.resources.reset();
  });
  after(async () => {
    await clearProfileSettings();
    await emulator.close();
  });

  async function processingJob(): Promise<{ job: ExplorerNode; nodes: ExplorerNode[] }> {
    const [section] = await treeItems(api.explorer.resources);
    const [job] = await treeItems(api.explorer.resources, section.node);
    assert.strictEqual(labelOf(job.item), 'Shell-Prep');
    return { job: job.node, nodes: (await treeItems(api.explorer.resources, job.node)).map((n) => n.node) };
  }

  it('Open Terminal on algo-2 runs a shell in that container (the training-job command, unchanged)', async () => {
    const { nodes } = await processingJob();
    const result = (await vscode.commands.executeCommand('sagemakerSsh.openTerminal', nodes[1])) as
      OpenTerminalResult | undefined;
    assert.ok(result, `Open Terminal failed: ${String(api.shownErrors.at(-1))}`);
    assert.strictEqual(result.terminal.name, 'algo-2 · Shell-Prep');
    let text = '';
    const shown = new Promise<void>((resolve) =>
      result.pty.onDidWrite((data) => {
        text += data;
        if (/\r\nalgo-2\r\n/.test(text)) resolve();
      }),
    );
    await result.pty.opened;
    result.pty.handleInput('hostname\r');
    await shown;
    result.terminal.dispose();
    await result.pty.ended;
  });

  it('Stop Waiting on the job releases every node', async () => {
    const { job } = await processingJob();
    const results = (await vscode.commands.executeCommand('sagemakerSsh.stopWaiting', job, {
      confirmed: true,
    })) as { node: string; ok: boolean }[] | undefined;
    assert.deepStrictEqual(
      results?.map((r) => [r.node, r.ok]),
      [
        ['algo-1', true],
        ['algo-2', true],
      ],
    );
    for (const node of emulator.containers.nodes()) {
      assert.strictEqual(
        (await node.container.exec('test -f /tmp/sm-wait-stopped && echo yes')).stdout.trim(),
        'yes',
      );
    }
  });
});
