import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, testAccount, testRegion } from '../../builders/scenarioBuilder';
import { openContextMenu, openViewContainer, runMenuEntry, treeItems, viewPane } from './parts';
import { workbench } from './workbench';

const longJobName = 'pytorch-training-2026-12-05-16-42-07-123';

function scenario(): ReturnType<ScenarioBuilder['build']> {
  const b = new ScenarioBuilder();
  b.trainingJob('llama3-finetune-ssh', {
    status: 'InProgress',
    instanceType: 'ml.g5.2xlarge',
    creationTime: '-2h',
    secondaryStatus: 'Training',
  });
  b.trainingJob('bert-distributed-ssh', {
    status: 'InProgress',
    instanceType: 'ml.p4d.24xlarge',
    instanceCount: 2,
    creationTime: '-3h',
    secondaryStatus: 'Training',
  });
  // SageMaker's generated names are long: at the default side bar width they fill the row.
  b.trainingJob(longJobName, {
    status: 'InProgress',
    instanceType: 'ml.g5.12xlarge',
    creationTime: '-20m',
    secondaryStatus: 'Training',
  });
  b.trainingJob('resnet-baseline', { status: 'Completed', creationTime: '-1d' });
  b.trainingJob('whisper-eval', { status: 'Failed', creationTime: '-2d', failureReason: 'OOM' });
  b.trainingRegistration('llama3-finetune-ssh', { host: 'algo-1' });
  b.trainingRegistration(longJobName, { host: 'algo-1' });
  b.trainingRegistration('bert-distributed-ssh', { host: 'algo-1' });
  b.trainingRegistration('bert-distributed-ssh', { host: 'algo-2' });
  b.domain({
    id: 'd-demo0001',
    name: 'ml-research',
    spaces: [
      { name: 'team-space', apps: [{ type: 'JupyterLab', name: 'default', status: 'InService' }] },
      { name: 'remote-space', appType: 'CodeEditor', remoteAccess: 'ENABLED' },
    ],
  });
  b.registration(
    'default',
    `arn:aws:sagemaker:${testRegion}:${testAccount}:app/d-demo0001/team-space/jupyterlab/default`,
    {
      computerName: 'default',
    },
  );
  return b.build();
}

/** The default profile of the sandbox HOME points at the emulator, as a user's would at AWS. */
function writeDefaultProfile(home: string, emulator: Emulator): void {
  const env = emulator.env('me');
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
  fs.writeFileSync(
    path.join(home, '.aws', 'config'),
    `[default]\nregion = ${env.AWS_REGION}\nendpoint_url = ${emulator.endpoint}\n`,
  );
  fs.writeFileSync(
    path.join(home, '.aws', 'credentials'),
    `[default]\naws_access_key_id = ${env.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${env.AWS_SECRET_ACCESS_KEY}\n`,
  );
}

/** Drags the sash between side bar and editor so descriptions are readable in the screenshot. */
async function widenSideBar(page: ReturnType<typeof workbench>['page']): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) {
    return;
  }
  const x = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x - 1, y);
  await page.mouse.down();
  await page.mouse.move(x + 420, y, { steps: 8 });
  await page.mouse.up();
}

describe('Explorer trees (UI)', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ scenario: scenario() });
    writeDefaultProfile(workbench().sandboxHome, emulator);
  });
  after(() => emulator.close());

  it('shows the seeded jobs and apps, and Stop Waiting in a job’s context menu', async () => {
    const { page, screenshot } = workbench();
    await openViewContainer(page, 'SageMaker SSH');
    const jobs = viewPane(page, 'Training Jobs');
    await jobs.hover();
    await jobs.getByRole('button', { name: 'Refresh Training Jobs' }).click();
    const llama = treeItems(page, 'Training Jobs').filter({ hasText: 'llama3-finetune-ssh' });
    await llama.waitFor({ state: 'visible' });
    const labels = await treeItems(page, 'Training Jobs').allTextContents();
    for (const name of ['llama3-finetune-ssh', 'bert-distributed-ssh', 'resnet-baseline', 'whisper-eval']) {
      assert.ok(
        labels.some((l) => l.includes(name)),
        `${name} not in ${JSON.stringify(labels)}`,
      );
    }
    assert.match((await llama.getAttribute('aria-label')) ?? '', /SSH 1\/1 online/);

    await treeItems(page, 'Training Jobs').filter({ hasText: 'bert-distributed-ssh' }).click();
    await treeItems(page, 'Training Jobs').filter({ hasText: 'algo-2' }).waitFor({ state: 'visible' });

    const studio = viewPane(page, 'Studio');
    await studio.hover();
    await studio.getByRole('button', { name: 'Refresh Studio' }).click();
    await treeItems(page, 'Studio').filter({ hasText: 'ml-research' }).click();
    await treeItems(page, 'Studio').filter({ hasText: 'team-space' }).waitFor({ state: 'visible' });
    await treeItems(page, 'Studio')
      .filter({ hasText: /^default/ })
      .waitFor({ state: 'visible' });
    await screenshot('ui-explorer-default-width');
    // The SSH state of a long-named job stays in sight: its icon says "ready", inside the side bar.
    const longRow = treeItems(page, 'Training Jobs').filter({ hasText: longJobName });
    const readyIcon = longRow.locator('.codicon-vm-active');
    await readyIcon.waitFor({ state: 'visible' });
    const sideBar = (await page.locator('.part.sidebar').boundingBox())!;
    const icon = (await readyIcon.boundingBox())!;
    assert.ok(
      icon.x >= sideBar.x && icon.x + icon.width <= sideBar.x + sideBar.width,
      `the SSH icon is outside the side bar: ${JSON.stringify({ icon, sideBar })}`,
    );
    assert.match((await longRow.getAttribute('aria-label')) ?? '', /SSH 1\/1 online/);
    await widenSideBar(page);
    await screenshot('ui-explorer');

    const entries = await openContextMenu(page, llama);
    await screenshot('ui-context-menu');
    await page.keyboard.press('Escape');
    for (const entry of ['Connect', 'Stop Waiting', 'Copy Name', 'Copy ARN', 'Open in AWS Console']) {
      assert.ok(
        entries.some((e) => e.startsWith(entry)),
        `${entry} missing from ${JSON.stringify(entries)}`,
      );
    }
  });

  it('a space’s context menu: Start Space on a stopped one, Stop Space (no Connect) on one running without remote access', async () => {
    const { page } = workbench();
    const stopped = treeItems(page, 'Studio').filter({ hasText: 'remote-space' });
    await stopped.waitFor({ state: 'visible' });
    assert.match((await stopped.textContent()) ?? '', /stopped · remote access/);
    const startEntries = await openContextMenu(page, stopped);
    await page.keyboard.press('Escape');
    assert.ok(
      startEntries.some((e) => e.startsWith('Start Space')),
      JSON.stringify(startEntries),
    );
    assert.ok(
      !startEntries.some((e) => e.startsWith('Stop Space') || e.startsWith('Connect')),
      JSON.stringify(startEntries),
    );

    const running = treeItems(page, 'Studio').filter({ hasText: 'team-space' });
    const runningEntries = await openContextMenu(page, running);
    await page.keyboard.press('Escape');
    assert.ok(
      runningEntries.some((e) => e.startsWith('Stop Space')),
      JSON.stringify(runningEntries),
    );
    assert.ok(
      !runningEntries.some(
        (e) => e.startsWith('Start Space') || e.startsWith('Connect') || e.startsWith('Open Terminal'),
      ),
      JSON.stringify(runningEntries),
    );
  });

  it('Show Logs opens the job log; Stop Training Job asks, naming the job, and the row follows it to Stopped', async () => {
    const { page, screenshot } = workbench();
    const resnet = treeItems(page, 'Training Jobs').filter({ hasText: 'resnet-baseline' });
    const doneEntries = await openContextMenu(page, resnet);
    assert.ok(
      doneEntries.some((e) => e.startsWith('Show Logs')),
      JSON.stringify(doneEntries),
    );
    assert.ok(!doneEntries.some((e) => e.startsWith('Stop Training Job')), JSON.stringify(doneEntries));
    await runMenuEntry(page, 'Show Logs');
    await page
      .locator('.part.panel .view-lines')
      // The editor renders spaces as U+00A0, which \s matches.
      .filter({ hasText: /algo-1\s\[Completed\]\sThe\straining\sjob\scompleted/ })
      .waitFor({ state: 'visible' });
    await screenshot('ui-show-logs');

    const llama = treeItems(page, 'Training Jobs').filter({ hasText: 'llama3-finetune-ssh' });
    const runningEntries = await openContextMenu(page, llama);
    assert.ok(
      runningEntries.some((e) => e.startsWith('Stop Training Job')),
      JSON.stringify(runningEntries),
    );
    await runMenuEntry(page, 'Stop Training Job');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.filter({ hasText: 'Stop training job llama3-finetune-ssh?' }).waitFor({ state: 'visible' });
    await screenshot('ui-stop-training-job');
    await dialog.getByRole('button', { name: 'Stop Training Job' }).click();
    // The view polls while a job is Stopping, so the row reaches Stopped without a manual refresh.
    await page
      .locator('.part.sidebar .monaco-list-row[aria-label*="llama3-finetune-ssh"][aria-label*="Stopped"]')
      .waitFor({ state: 'visible', timeout: 60_000 });
    assert.strictEqual(emulator.calls.count({ operation: 'StopTrainingJob' }), 1);
  });
});
