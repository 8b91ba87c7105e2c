// Download… as a user does it in the demo's environment (run.mjs --mode ui --demo): right-click algo-2, pick
// Download…, type the container's file in the input box, type where to save it in code-server's save dialog
// (a quick input), and see the "Downloaded 1 file …" notification and the file on disk.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { openContextMenu, openViewContainer, runMenuEntry, saveAsInDialog, treeItems } from '../parts';
import { workbench } from '../workbench';

const job = 'bert-distributed-ssh-2025-06-01-09-00-00-002';

describe('Download… from the context menu (UI)', function () {
  this.timeout(240_000);

  it('downloads a file named in the input box to the path typed in the save dialog', async () => {
    const { page, screenshot, demo, sandboxHome } = workbench();
    assert.ok(demo, 'run with node test/integration/runner/run.mjs --mode ui --demo');
    const algo2 = demo.emulator.containers.nodes().find((n) => n.resourceName === job && n.host === 'algo-2');
    assert.ok(algo2, `the demo scenario has no simulated container algo-2 of ${job}`);
    const made = await algo2.container.exec(
      'mkdir -p /tmp/ui-dl && echo "weights of $(hostname)" > /tmp/ui-dl/model.txt',
    );
    assert.strictEqual(made.code, 0, made.stderr);
    const saved = path.join(sandboxHome, 'ui-downloaded-model.txt');

    await openViewContainer(page, 'SageMaker SSH');
    const jobRow = treeItems(page, 'Training Jobs').filter({ hasText: job });
    await jobRow.waitFor({ state: 'visible', timeout: 60_000 });
    const nodeRow = treeItems(page, 'Training Jobs').filter({ hasText: /^algo-2/ });
    if (!(await nodeRow.isVisible())) await jobRow.click();
    await nodeRow.waitFor({ state: 'visible' });

    const entries = await openContextMenu(page, nodeRow);
    assert.ok(entries.includes('Download…') && entries.includes('Upload…'), entries.join(', '));
    await runMenuEntry(page, 'Download…');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    assert.strictEqual(await input.inputValue(), '/opt/ml/model');
    await input.fill('/tmp/ui-dl/model.txt');
    await page.keyboard.press('Enter');

    // code-server's save dialog is a quick input holding a path: replace it with ours.
    await saveAsInDialog(page, 'Save /tmp/ui-dl/model.txt', 'model.txt', saved);

    const toast = page.locator('.notifications-toasts').filter({
      hasText: /Downloaded 1 file \(\d+ B\) from algo-2\.bert-distributed-ssh.*\.training\.sagemaker in/,
    });
    await toast.waitFor({ state: 'visible', timeout: 120_000 });
    await screenshot('ui-download');
    assert.ok(await toast.getByRole('button', { name: 'Reveal in Explorer' }).isVisible());
    assert.strictEqual(fs.readFileSync(saved, 'utf8'), 'weights of algo-2\n');
  });
});
