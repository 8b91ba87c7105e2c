// Forward Port… as a user does it in the demo's environment (run.mjs --mode ui --demo): right-click algo-2,
// pick "Other port…" in the quick pick, type the port of a web server running in that container, see the
// forward's row under the node, fetch through it, then Stop Forwarding from the row's menu.
import * as assert from 'assert';
import type { ChildProcess } from 'child_process';
import {
  openContextMenu,
  openViewContainer,
  quickPickRowsOnceShown,
  runMenuEntry,
  treeItems,
} from '../parts';
import { workbench } from '../workbench';
import { accepts, fetchText, startWebServer } from '../../../builders/loopback';

const job = 'bert-distributed-ssh-2025-06-01-09-00-00-002';

describe('Forward Port… from the context menu (UI)', function () {
  this.timeout(240_000);
  let web: ChildProcess | undefined;

  after(() => {
    web?.kill();
  });

  it('forwards a port picked in the quick pick, shows it under the node, and Stop Forwarding removes it', async () => {
    const { page, screenshot, demo } = workbench();
    assert.ok(demo, 'run with node test/integration/runner/run.mjs --mode ui --demo');
    const algo2 = demo.emulator.containers.nodes().find((n) => n.resourceName === job && n.host === 'algo-2');
    assert.ok(algo2, `the demo scenario has no simulated container algo-2 of ${job}`);
    const made = await algo2.container.exec(
      'mkdir -p /tmp/www && echo "hello from $(hostname)" > /tmp/www/index.txt',
    );
    assert.strictEqual(made.code, 0, made.stderr);
    const started = await startWebServer(algo2.container, '/tmp/www');
    web = started.server;
    const webPort = started.port;

    await openViewContainer(page, 'SageMaker SSH');
    const jobRow = treeItems(page, 'Training Jobs').filter({ hasText: job });
    await jobRow.waitFor({ state: 'visible', timeout: 60_000 });
    const nodeRow = treeItems(page, 'Training Jobs').filter({ hasText: /^algo-2/ });
    if (!(await nodeRow.isVisible())) await jobRow.click();
    await nodeRow.waitFor({ state: 'visible' });

    const entries = await openContextMenu(page, nodeRow);
    assert.ok(entries.includes('Forward Port…'), entries.join(', '));
    await runMenuEntry(page, 'Forward Port…');
    const wellKnown = ['8888Jupyter', '6006TensorBoard', '5678debugpy', '5901VNC', '8265Raydashboard'];
    const offered = await quickPickRowsOnceShown(page, [...wellKnown, 'Otherport…']);
    assert.deepStrictEqual(offered, [...wellKnown, 'Otherport…']);
    await page.keyboard.type('Other port');
    await page.keyboard.press('Enter');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await page.keyboard.type('70000');
    await page
      .locator('.quick-input-widget .quick-input-message')
      .filter({ hasText: '1 to 65535' })
      .waitFor();
    await input.fill(String(webPort));
    await page.keyboard.press('Enter');

    const forwardRow = treeItems(page, 'Training Jobs').filter({ hasText: `${webPort} → localhost:` });
    await forwardRow.waitFor({ state: 'visible', timeout: 60_000 });
    const label = (await forwardRow.getAttribute('aria-label')) ?? '';
    const localPort = Number(/forwarded to localhost (\d+)/.exec(label)?.[1]);
    assert.ok(localPort > 0, label);
    assert.strictEqual((await fetchText(localPort, '/index.txt')).body, 'hello from algo-2\n');
    await screenshot('ui-forward-port');

    const forwardEntries = await openContextMenu(page, forwardRow);
    assert.deepStrictEqual(forwardEntries.filter(Boolean), ['Open in Browser', 'Stop Forwarding']);
    await runMenuEntry(page, 'Stop Forwarding');
    await forwardRow.waitFor({ state: 'detached', timeout: 30_000 });
    assert.strictEqual(await accepts(localPort), false, 'the local port is free again');
  });
});
