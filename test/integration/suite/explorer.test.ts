import * as assert from 'assert';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, testAccount, testRegion } from '../../builders/scenarioBuilder';
import type { TestingApi } from '../../../src/extension';
import { clearProfileSettings, useEmulatorProfile } from './awsProfile';
import { labelOf, testingApi, treeItems } from './testingApi';

function scenario(): ReturnType<ScenarioBuilder['build']> {
  const b = new ScenarioBuilder();
  b.trainingJob('Bert-Finetune', {
    status: 'InProgress',
    instanceCount: 2,
    creationTime: '-10m',
    secondaryStatus: 'Training',
  });
  b.trainingJob('old-job', { status: 'Completed', creationTime: '-2d' });
  b.trainingRegistration('Bert-Finetune', { host: 'algo-1' });
  b.trainingRegistration('Bert-Finetune', { host: 'algo-2' });
  b.domain({
    id: 'd-abc123',
    name: 'research',
    userProfiles: [{ name: 'alice', apps: [{ type: 'KernelGateway', name: 'kgw-1', status: 'InService' }] }],
    spaces: [
      {
        name: 'team-space',
        apps: [
          { type: 'JupyterLab', name: 'default', status: 'InService' },
          { type: 'CodeEditor', name: 'gone', status: 'Deleted' },
        ],
      },
    ],
  });
  b.registration(
    'default',
    `arn:aws:sagemaker:${testRegion}:${testAccount}:app/d-abc123/team-space/jupyterlab/default`,
    {
      computerName: 'default',
    },
  );
  return b.build();
}

describe('explorer trees in the extension host', () => {
  let emulator: Emulator;
  let api: TestingApi;
  before(async () => {
    api = await testingApi();
    emulator = await startEmulator({ scenario: scenario() });
    await useEmulatorProfile(emulator, 'me');
    await api.explorer.trainingJobs.refresh({ resetPages: true });
    await api.explorer.studio.refresh();
  });
  after(async () => {
    await clearProfileSettings();
    await emulator.close();
  });

  it('lists training jobs newest first with status, shape and SSH readiness', async () => {
    const items = await treeItems(api.explorer.trainingJobs);
    assert.deepStrictEqual(
      items.map((i) => labelOf(i.item)),
      ['Bert-Finetune', 'old-job'],
    );
    const bert = items[0].item;
    // Readiness first: a long name truncates the end of the description, not the SSH state.
    assert.match(String(bert.description), /^SSH 2\/2 · Training · \d+m · ml\.g5\.xlarge × 2$/);
    assert.strictEqual((bert.iconPath as vscode.ThemeIcon).id, 'vm-active');
    // Running, remote debug off, not a built-in algorithm: Enable Remote Debug is offered.
    assert.strictEqual(bert.contextValue, 'trainingJob inProgress ssh sshReady canEnableDebug');
    assert.strictEqual(bert.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.strictEqual(items[1].item.contextValue, 'trainingJob');
    assert.match(String(items[1].item.description), /^Completed · /);
    assert.strictEqual((items[1].item.iconPath as vscode.ThemeIcon).id, 'pass');
  });

  it('expands a job into its SSH nodes with their managed instances', async () => {
    const [bert] = await treeItems(api.explorer.trainingJobs);
    const nodes = await treeItems(api.explorer.trainingJobs, bert.node);
    assert.deepStrictEqual(
      nodes.map((n) => labelOf(n.item)),
      ['algo-1', 'algo-2'],
    );
    for (const node of nodes) {
      assert.strictEqual(node.item.contextValue, 'trainingNode inProgress sshReady');
      assert.match(String(node.item.description), /^mi-[0-9a-f]{17} · Online/);
    }
  });

  it('repaints after a poll only when what it shows changed (a repaint replaces the rows under an open menu)', async () => {
    const provider = api.explorer.trainingJobs;
    // Everything a user sees of the jobs and their nodes, read through the provider as VS Code does.
    const shown = async (): Promise<string> => {
      const jobs = await treeItems(provider);
      const rows = await Promise.all(
        jobs.map(async ({ node, item }) => [item, ...(await treeItems(provider, node)).map((c) => c.item)]),
      );
      return JSON.stringify(
        rows
          .flat()
          .map((item) => [
            labelOf(item),
            item.description,
            item.contextValue,
            typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value,
          ]),
      );
    };
    let repaints = 0;
    const subscription = provider.onDidChangeTreeData(() => repaints++);
    try {
      const before = await shown();
      await provider.refresh();
      const after = await shown();
      // A job's age ("10m") may tick over between the two loads: then one repaint is right.
      assert.strictEqual(repaints, before === after ? 0 : 1, `before ${before}\nafter ${after}`);
      const quiet = repaints;
      emulator.faults.add({
        service: 'sagemaker',
        operation: 'Search',
        error: { code: 'AccessDeniedException', message: 'no', status: 400 },
      });
      await provider.refresh();
      assert.strictEqual(repaints, quiet + 1, 'the error item replaced the jobs: one repaint');
      emulator.faults.clear();
      await provider.refresh();
      assert.strictEqual(repaints, quiet + 2, 'the jobs came back: one repaint');
    } finally {
      subscription.dispose();
      emulator.faults.clear();
      await provider.refresh();
    }
  });

  it('shows domains, user profiles and spaces, and apps with their type and readiness', async () => {
    const [domain] = await treeItems(api.explorer.studio);
    assert.strictEqual(labelOf(domain.item), 'research');
    assert.strictEqual(domain.item.contextValue, 'studioDomain arn');
    const owners = await treeItems(api.explorer.studio, domain.node);
    assert.deepStrictEqual(
      owners.map((o) => [labelOf(o.item), o.item.contextValue]),
      [
        ['alice', 'studioUserProfile'],
        ['team-space', 'studioSpace running'],
      ],
    );
    const spaceApps = await treeItems(api.explorer.studio, owners[1].node);
    assert.deepStrictEqual(
      spaceApps.map((a) => labelOf(a.item)),
      ['default'],
      'the Deleted app is hidden',
    );
    assert.strictEqual(spaceApps[0].item.contextValue, 'studioApp inService ssh sshReady');
    assert.match(String(spaceApps[0].item.description), /^SSH 1\/1 · JupyterLab · InService · /);
    const classic = await treeItems(api.explorer.studio, owners[0].node);
    assert.strictEqual(classic[0].item.contextValue, 'studioApp inService');
  });

  it('shows deleted apps when asked', async () => {
    await vscode.commands.executeCommand('sagemakerSsh.showDeletedApps');
    try {
      const [domain] = await treeItems(api.explorer.studio);
      const owners = await treeItems(api.explorer.studio, domain.node);
      const apps = await treeItems(api.explorer.studio, owners[1].node);
      assert.deepStrictEqual(apps.map((a) => labelOf(a.item)).sort(), ['default', 'gone']);
    } finally {
      await vscode.commands.executeCommand('sagemakerSsh.hideDeletedApps');
    }
  });

  it('turns an AWS error into an error item with a Retry action', async () => {
    emulator.faults.add({
      service: 'sagemaker',
      operation: 'Search',
      error: { code: 'AccessDeniedException', message: 'no', status: 400 },
    });
    try {
      await api.explorer.trainingJobs.refresh();
      const items = await treeItems(api.explorer.trainingJobs);
      assert.strictEqual(items.length, 1);
      assert.strictEqual(items[0].item.contextValue, 'error');
      assert.match(labelOf(items[0].item), /not allowed to call sagemaker:Search/);
      assert.strictEqual(items[0].item.command?.command, 'sagemakerSsh.refreshTrainingJobs');
    } finally {
      emulator.faults.clear();
      await api.explorer.trainingJobs.refresh();
    }
    assert.strictEqual((await treeItems(api.explorer.trainingJobs)).length, 2);
  });

  it('shows ARNs and ids in tooltips verbatim (no Markdown escapes inside code spans)', async () => {
    const [bert] = await treeItems(api.explorer.trainingJobs);
    const tooltip = (bert.item.tooltip as vscode.MarkdownString).value;
    const arn = `arn:aws:sagemaker:${testRegion}:${testAccount}:training-job/bert-finetune`;
    assert.ok(tooltip.includes(`\`${arn}\``), tooltip);
    const [domain] = await treeItems(api.explorer.studio);
    const owners = await treeItems(api.explorer.studio, domain.node);
    const [app] = await treeItems(api.explorer.studio, owners[1].node);
    const appTooltip = (app.item.tooltip as vscode.MarkdownString).value;
    assert.ok(appTooltip.includes('`d-abc123`'), appTooltip);
    for (const text of [tooltip, appTooltip]) {
      for (const span of text.match(/`[^`]+`/g) ?? []) {
        assert.ok(!span.includes('\\'), `a backslash shows literally in ${span}`);
      }
    }
  });

  it('names a profile that does not exist, keeps it in the header and offers the profile picker', async () => {
    const config = vscode.workspace.getConfiguration('sagemakerSsh');
    await config.update('profile', 'nope', vscode.ConfigurationTarget.Global);
    try {
      await Promise.all([
        api.explorer.trainingJobs.refresh(),
        api.explorer.studio.refresh(),
        api.explorer.hyperPod.refresh(),
      ]);
      for (const [provider, view] of [
        [api.explorer.trainingJobs, api.explorer.trainingJobsView],
        [api.explorer.studio, api.explorer.studioView],
        [api.explorer.hyperPod, api.explorer.hyperPodView],
      ] as const) {
        const items = await treeItems(provider);
        assert.deepStrictEqual(
          items.map((i) => labelOf(i.item)),
          ["profile 'nope' not found in ~/.aws/config or ~/.aws/credentials — Select AWS Profile…"],
        );
        assert.strictEqual(items[0].item.command?.command, 'sagemakerSsh.selectProfile');
        assert.strictEqual(view.description, 'nope (not found)');
      }
    } finally {
      await config.update('profile', 'emulator', vscode.ConfigurationTarget.Global);
      await Promise.all([
        api.explorer.trainingJobs.refresh(),
        api.explorer.studio.refresh(),
        api.explorer.hyperPod.refresh(),
      ]);
    }
    assert.strictEqual((await treeItems(api.explorer.trainingJobs)).length, 2);
  });

  it('copies names and ARNs of tree items', async () => {
    const [bert] = await treeItems(api.explorer.trainingJobs);
    const arn = await vscode.commands.executeCommand('sagemakerSsh.copyArn', bert.node);
    assert.strictEqual(arn, `arn:aws:sagemaker:${testRegion}:${testAccount}:training-job/bert-finetune`);
  });
});
