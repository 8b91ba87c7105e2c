// The README's Quick start, as a user does it, in the environment `npm run demo` makes (run.mjs --mode ui --demo):
// open the view, expand the 2-node job, click Connect on algo-2, and prove the terminal that opens runs inside
// that container; then Stop Waiting, and prove the containers saw it.
import * as assert from 'assert';
import { execFile } from 'child_process';
import type { Locator, Page } from 'playwright-core';
import type { DeclaredNode } from '../../../emulator/containers/declared';
import { openContextMenu, openViewContainer, runMenuEntry, treeItems, viewPane } from '../parts';
import { workbench } from '../workbench';
import type { UiDemo } from '../workbench';
import { eventually } from '../../../support/wait';

const job = 'bert-distributed-ssh-2025-06-01-09-00-00-002';
const proofFile = '/tmp/readme-walk-proof';

/** The UI walk's waits: a check that throws (a page mid-render) is "not yet"; 90 s for the slow host. */
function inUi<T>(check: () => Promise<T | undefined>): () => Promise<T | undefined> {
  return () => check().catch(() => undefined);
}

const uiWait = { timeoutMs: 90_000, intervalMs: 250 };
function demoEnvironment(): UiDemo {
  const { demo } = workbench();
  assert.ok(demo, 'run with node test/integration/runner/run.mjs --mode ui --demo');
  return demo;
}

function node(demo: UiDemo, host: string): DeclaredNode {
  const found = demo.emulator.containers.nodes().find((n) => n.resourceName === job && n.host === host);
  assert.ok(found, `the demo scenario has no simulated container ${host} of ${job}`);
  return found;
}

async function readInContainer(container: DeclaredNode, file: string): Promise<string | undefined> {
  return container.container.readFile(file).catch(() => undefined);
}

function jobRow(page: Page): Locator {
  return treeItems(page, 'Training Jobs').filter({ hasText: job });
}

/** The rows of the active integrated terminal as rendered (xterm's DOM renderer in headless chromium). */
async function terminalRows(page: Page): Promise<string[]> {
  const rows = await page.locator('.part.panel .terminal-wrapper.active .xterm-rows > div').allTextContents();
  return rows.map((row) => row.replace(/\u00a0/g, ' ').trimEnd());
}

/** Every notification so far, read from the notification center (toasts hide themselves after a while). */
async function notificationTexts(page: Page): Promise<string> {
  await page.locator('.part.statusbar [id="status.notifications"] a').first().click();
  const center = page.locator('.notifications-center');
  await center.waitFor({ state: 'visible' });
  const text = (await center.allTextContents()).join('\n');
  await page.keyboard.press('Escape');
  return text;
}

function run(
  file: string,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, [...args], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

describe('README walk: npm run demo, Connect on algo-2, Stop Waiting (UI)', function () {
  this.timeout(240_000);

  it('opens a terminal inside algo-2 on Connect, without the Remote-SSH settings prompt', async () => {
    const demo = demoEnvironment();
    const algo2 = node(demo, 'algo-2');
    assert.strictEqual(
      (await algo2.container.exec('hostname', { cwd: '/', env: {}, timeoutMs: 10_000 })).stdout.trim(),
      'algo-2',
    );
    const { page, screenshot } = workbench();

    await openViewContainer(page, 'SageMaker SSH');
    await jobRow(page).waitFor({ state: 'visible', timeout: 60_000 });
    assert.match((await jobRow(page).getAttribute('aria-label')) ?? '', /SSH 2\/2 online/);
    await jobRow(page).click();
    const nodeRow = treeItems(page, 'Training Jobs').filter({ hasText: /^algo-2/ });
    await nodeRow.waitFor({ state: 'visible' });
    await nodeRow.hover();
    await nodeRow.getByRole('button', { name: 'Connect' }).click();

    // The terminal the extension opens runs `ssh -F <demo config> <alias>`; what it types runs in algo-2.
    const terminal = page.locator('.part.panel .terminal-wrapper.active .xterm');
    await terminal.waitFor({ state: 'visible', timeout: 120_000 });
    await eventually(
      inUi(async () =>
        (await terminalRows(page)).some((row) => row.startsWith('root@algo-2:')) ? true : undefined,
      ),
      'the shell prompt root@algo-2 in the terminal',
      uiWait,
    );
    await terminal.click();
    // Written whole under another name and renamed, so the file is never read half-written.
    await page.keyboard.type(`hostname > ${proofFile}.part && mv ${proofFile}.part ${proofFile}; hostname`);
    await page.keyboard.press('Enter');
    const proof = await eventually(
      inUi(() => readInContainer(algo2, proofFile)),
      `${proofFile} written in algo-2 by the terminal`,
      uiWait,
    );
    assert.strictEqual(proof.trim(), 'algo-2');
    await eventually(
      inUi(async () => ((await terminalRows(page)).includes('algo-2') ? true : undefined)),
      'the output of hostname in the terminal',
      uiWait,
    );
    assert.strictEqual(await readInContainer(node(demo, 'algo-1'), proofFile), undefined);
    await screenshot('ui-readme-walk-terminal');

    const notifications = await notificationTexts(page);
    assert.match(notifications, /this terminal runs inside algo-2\./);
    assert.match(notifications, /desktop VS Code with Remote-SSH/);
    assert.doesNotMatch(notifications, /Recommended Remote-SSH settings/);
  });

  it('the second shell the demo prints: its export lines, then sm-ssh list, sm-ssh connect, ssh sagemaker-training', async () => {
    const demo = demoEnvironment();
    // Each command as printed, after the printed export lines; an interactive ssh gets `hostname` to run.
    const inDemoShell = (command: string): ReturnType<typeof run> =>
      run('sh', ['-c', [...demo.shellLines, command].join('\n')]);
    const commands = demo.shellCommands.map(({ command }) => command);
    assert.deepStrictEqual(commands, [
      'sm-ssh list',
      `sm-ssh connect algo-2.${job}.training.sagemaker hostname`,
      'ssh sagemaker-training',
    ]);
    const list = await inDemoShell(commands[0]);
    assert.strictEqual(list.code, 0, list.stderr);
    assert.ok(
      list.stdout.split('\n').includes(`Online\ttraining\tInProgress\talgo-2.${job}.training.sagemaker`),
      list.stdout,
    );
    const connected = await inDemoShell(commands[1]);
    assert.strictEqual(connected.code, 0, connected.stderr);
    assert.strictEqual(connected.stdout.trim(), 'algo-2');
    // After Connect (and sm-ssh connect) on algo-2, sagemaker-training is algo-2.
    const result = await inDemoShell(`${commands[2]} hostname`);
    assert.strictEqual(result.code, 0, result.stderr);
    assert.strictEqual(result.stdout.trim(), 'algo-2');
  });

  it('Stop Waiting on the job reaches both containers', async () => {
    const demo = demoEnvironment();
    const { page } = workbench();
    for (const host of ['algo-1', 'algo-2']) {
      assert.strictEqual(await readInContainer(node(demo, host), '/tmp/sm-wait-stopped'), undefined);
    }
    const entries = await openContextMenu(page, jobRow(page));
    assert.ok(
      entries.some((entry) => entry.startsWith('Stop Waiting')),
      `Stop Waiting is not in the menu: ${JSON.stringify(entries)}`,
    );
    await runMenuEntry(page, 'Stop Waiting');
    const confirm = page.locator('.monaco-dialog-box').getByRole('button', { name: 'Stop Waiting' });
    // No confirmation means the command failed: say what the notifications say.
    const asked = await confirm.waitFor({ timeout: 30_000 }).then(
      () => true,
      () => false,
    );
    if (!asked) assert.fail(`Stop Waiting asked nothing; notifications: ${await notificationTexts(page)}`);
    await confirm.click();
    for (const host of ['algo-1', 'algo-2']) {
      await eventually(
        inUi(async () =>
          (await readInContainer(node(demo, host), '/tmp/sm-wait-stopped')) === undefined ? undefined : true,
        ),
        `/tmp/sm-wait-stopped in ${host}`,
        uiWait,
      );
    }
    await viewPane(page, 'Training Jobs').hover();
  });
});
