import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder } from '../../builders/scenarioBuilder';
import { contextMenu, openContextMenu, openViewContainer, treeItems, viewPane } from './parts';
import { workbench } from './workbench';

const RUNNING = 'i-0aaaaaaaaaaaaaaa1';
const PENDING = 'i-0aaaaaaaaaaaaaaa2';

function scenario(): ReturnType<ScenarioBuilder['build']> {
  return new ScenarioBuilder().build({
    sagemaker: {
      clusters: [
        {
          name: 'llm-pretrain',
          creationTime: '-2d',
          instanceGroups: [
            { name: 'controller-machine', instanceType: 'ml.c5.xlarge' },
            {
              name: 'worker-group-1',
              instanceType: 'ml.p5.48xlarge',
              nodes: [{ id: RUNNING }, { id: PENDING, status: 'Pending' }],
            },
          ],
        },
      ],
    },
  });
}

/** The default profile of the sandbox HOME points at this emulator (the previous file's is closed). */
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

describe('HyperPod view (UI)', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ scenario: scenario() });
    writeDefaultProfile(workbench().sandboxHome, emulator);
  });
  after(() => emulator.close());

  it('shows cluster → instance groups → nodes with status; Connect and Open Terminal only on a Running node', async () => {
    const { page, screenshot } = workbench();
    await openViewContainer(page, 'SageMaker SSH');
    // Earlier files used another emulator: reload credentials and endpoints (the command the palette offers).
    await page.keyboard.press('F1');
    await page.keyboard.type('SageMaker SSH: Refresh (reload credentials)');
    await page
      .locator('.quick-input-widget .monaco-list-row', { hasText: 'Refresh (reload credentials)' })
      .first()
      .waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    const pane = viewPane(page, 'HyperPod');
    await pane.hover();
    await pane.getByRole('button', { name: 'Refresh HyperPod' }).click();
    const cluster = treeItems(page, 'HyperPod').filter({ hasText: 'llm-pretrain' });
    await cluster.waitFor({ state: 'visible' });
    assert.match(
      (await cluster.getAttribute('aria-label')) ?? '',
      /HyperPod cluster llm-pretrain, InService/,
    );
    await cluster.click();
    const running = treeItems(page, 'HyperPod').filter({ hasText: RUNNING });
    const pending = treeItems(page, 'HyperPod').filter({ hasText: PENDING });
    await running.waitFor({ state: 'visible' });
    await treeItems(page, 'HyperPod').filter({ hasText: 'worker-group-1' }).waitFor({ state: 'visible' });
    assert.match((await running.getAttribute('aria-label')) ?? '', /worker-group-1, Running/);
    assert.match((await pending.getAttribute('aria-label')) ?? '', /worker-group-1, Pending/);
    await screenshot('ui-hyperpod');

    const runningEntries = await openContextMenu(page, running);
    await page.keyboard.press('Escape');
    await contextMenu(page).waitFor({ state: 'hidden' });
    for (const entry of ['Connect', 'Open Terminal', 'Copy Name', 'Open in AWS Console']) {
      assert.ok(
        runningEntries.some((e) => e.startsWith(entry)),
        `${entry} missing from ${JSON.stringify(runningEntries)}`,
      );
    }
    const pendingEntries = await openContextMenu(page, pending);
    await page.keyboard.press('Escape');
    assert.ok(
      !pendingEntries.some((e) => e.startsWith('Connect') || e.startsWith('Open Terminal')),
      JSON.stringify(pendingEntries),
    );
  });
});
