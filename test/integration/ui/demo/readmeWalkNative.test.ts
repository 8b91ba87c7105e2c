// The README's Quick start, continued: the paths that need no payload, in the environment `npm run demo` makes
// (run.mjs --mode ui --demo). A HyperPod node, a training job with SageMaker's remote debug and a Studio space with
// remote access (started first), each reached in the tree and Connect clicked; the terminal that opens must run
// inside that node's container.
import * as assert from 'assert';
import type { Locator, Page } from 'playwright-core';
import type { DeclaredNode } from '../../../emulator/containers/declared';
import { openContextMenu, openViewContainer, runMenuEntry, setViewExpanded, treeItems } from '../parts';
import type { SpaceContainers } from '../../../emulator/containers/spaceRuntime';
import { workbench } from '../workbench';
import type { UiDemo } from '../workbench';
import { eventually } from '../../../support/wait';

const remoteDebugJob = 'sdxl-remote-debug-2025-06-01-12-00-00-011';
const cluster = 'llm-pretrain';
const space = 'remote-lab';

const uiWait = { timeoutMs: 90_000, intervalMs: 250 };

/** A check that throws (a page mid-render) is "not yet". */
function inUi<T>(check: () => Promise<T | undefined>): () => Promise<T | undefined> {
  return () => check().catch(() => undefined);
}

function demoEnvironment(): UiDemo {
  const { demo } = workbench();
  assert.ok(demo, 'run with node test/integration/runner/run.mjs --mode ui --demo');
  return demo;
}

function declared(demo: UiDemo, match: (node: DeclaredNode) => boolean, what: string): DeclaredNode {
  const found = demo.emulator.containers.nodes().find(match);
  assert.ok(found, `the demo scenario has no simulated container for ${what}`);
  return found;
}

const VIEWS = ['Training Jobs', 'Studio', 'HyperPod'] as const;

/**
 * Shows `view` alone among ours: tree rows are virtualised, so a row below a crowded view's fold is not
 * in the page at all.
 */
async function showOnly(page: Page, view: (typeof VIEWS)[number]): Promise<void> {
  for (const other of VIEWS) await setViewExpanded(page, other, other === view);
}

/**
 * Expands each row in turn (the first row whose text matches) unless it is, then clicks Connect on the last one. The
 * tree re-renders as statuses refresh, so the hover and click are retried on a detached row.
 */
async function connectThrough(page: Page, view: string, rows: readonly (string | RegExp)[]): Promise<void> {
  let row: Locator | undefined;
  for (const label of rows) {
    if (row && (await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    row = treeItems(page, view).filter({ hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout: 60_000 });
  }
  const target = row!;
  await eventually(
    inUi(async () => {
      await target.hover();
      await target.getByRole('button', { name: 'Connect' }).click({ timeout: 5_000 });
      return true;
    }),
    `Connect on ${String(rows.at(-1))}`,
    uiWait,
  );
}

/** The rows of the active integrated terminal as rendered (xterm's DOM renderer in headless chromium). */
async function terminalRows(page: Page): Promise<string[]> {
  const rows = await page.locator('.part.panel .terminal-wrapper.active .xterm-rows > div').allTextContents();
  return rows.map((row) => row.replace(/\u00a0/g, ' ').trimEnd());
}

/**
 * Waits for a shell prompt (a row `prompt` matches) in the terminal Connect opened, types there, and returns
 * what that wrote in `node`'s container.
 */
async function proveTerminalRunsIn(
  page: Page,
  node: Pick<DeclaredNode, 'container' | 'host'>,
  prompt: RegExp,
  proofFile: string,
): Promise<string> {
  const terminal = page.locator('.part.panel .terminal-wrapper.active .xterm');
  await terminal.waitFor({ state: 'visible', timeout: 120_000 });
  await eventually(
    inUi(async () => ((await terminalRows(page)).some((row) => prompt.test(row)) ? true : undefined)),
    `the shell prompt ${String(prompt)} in the terminal`,
    uiWait,
  );
  await terminal.click();
  // Written whole under another name and renamed, so the file is never read half-written.
  await page.keyboard.type(`{ hostname; id -un; } > ${proofFile}.part && mv ${proofFile}.part ${proofFile}`);
  await page.keyboard.press('Enter');
  return eventually(
    inUi(() => node.container.readFile(proofFile)),
    `${proofFile} written in ${node.host} by the terminal`,
    uiWait,
  );
}

describe('README walk: the paths without a payload (UI)', function () {
  this.timeout(300_000);
  after(async () => {
    // The files after this one work in Training Jobs: give it the side bar's height, with the job expanded
    // here collapsed again, so their rows are not below the fold (rows there are not rendered).
    const { page } = workbench();
    await showOnly(page, 'Training Jobs');
    const job = treeItems(page, 'Training Jobs').filter({ hasText: remoteDebugJob }).first();
    if ((await job.getAttribute('aria-expanded')) === 'true') await job.click();
  });

  it('HyperPod: Connect on the controller node opens a terminal inside it, as ubuntu', async () => {
    const demo = demoEnvironment();
    const node = declared(demo, (n) => n.kind === 'hyperpod-node', `${cluster}'s controller`);
    const instanceId = node.container.id.slice(`${cluster}-`.length);
    const { page, screenshot } = workbench();
    await openViewContainer(page, 'SageMaker SSH');
    await showOnly(page, 'HyperPod');
    await connectThrough(page, 'HyperPod', [cluster, /^controller/, instanceId]);
    const prompt = new RegExp(`^ubuntu@${node.host}:~\\$$`);
    const proof = await proveTerminalRunsIn(page, node, prompt, '/tmp/readme-walk-hyperpod');
    assert.deepStrictEqual(proof.trim().split('\n'), [node.host, 'ubuntu']);
    await screenshot('ui-readme-walk-hyperpod');
  });

  it('remote debug: Connect on algo-1 of a job without the payload opens a terminal inside it', async () => {
    const demo = demoEnvironment();
    const node = declared(
      demo,
      (n) => n.resourceName === remoteDebugJob && n.host === 'algo-1',
      `${remoteDebugJob}'s algo-1`,
    );
    const { page, screenshot } = workbench();
    await openViewContainer(page, 'SageMaker SSH');
    await showOnly(page, 'Training Jobs');
    // Its node row, not algo-1 of the payload job the walk before expanded.
    await connectThrough(page, 'Training Jobs', [remoteDebugJob, /^algo-1\s*SSM debug/]);
    // Sessions run as the agent's ssm-user, whose shell is sh: its prompt is a bare `$`.
    const proof = await proveTerminalRunsIn(page, node, /^\$$/, '/tmp/readme-walk-remote-debug');
    assert.deepStrictEqual(proof.trim().split('\n'), ['algo-1', 'ssm-user']);
    await screenshot('ui-readme-walk-remote-debug');
  });

  it('Studio space: Start Space on remote-lab, then Connect opens a terminal in it as sagemaker-user', async () => {
    const demo = demoEnvironment();
    const { page, screenshot } = workbench();
    await openViewContainer(page, 'SageMaker SSH');
    await showOnly(page, 'Studio');
    const domain = treeItems(page, 'Studio').filter({ hasText: 'demo-studio' }).first();
    await domain.waitFor({ state: 'visible', timeout: 60_000 });
    if ((await domain.getAttribute('aria-expanded')) !== 'true') await domain.click();
    const spaceRow = treeItems(page, 'Studio')
      .filter({ hasText: new RegExp(`^${space}`) })
      .first();
    await spaceRow.waitFor({ state: 'visible' });
    const entries = await openContextMenu(page, spaceRow);
    assert.ok(entries.includes('Start Space'), entries.join(', '));
    await runMenuEntry(page, 'Start Space');
    // Connect appears on the row once the app is InService; clicking it reads and pins the host key.
    await connectThrough(page, 'Studio', [new RegExp(`^${space}`)]);
    const { studio } = demo.emulator.state;
    const app = studio.allApps().find((a) => a.owner === space && a.status === 'InService');
    assert.ok(app, `${space} has no app InService`);
    const runtime = studio.runtime as SpaceContainers;
    const container = demo.emulator.containers.get(runtime.containerOf(app)!);
    assert.ok(container, `${space}'s app runs no simulated container`);
    const host = app.name;
    const prompt = new RegExp(`^sagemaker-user@${host}:~\\$$`);
    const proof = await proveTerminalRunsIn(page, { container, host }, prompt, '/tmp/readme-walk-space');
    assert.deepStrictEqual(proof.trim().split('\n'), [host, 'sagemaker-user']);
    await screenshot('ui-readme-walk-space');
  });
});
