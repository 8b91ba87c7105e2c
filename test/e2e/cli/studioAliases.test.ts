import * as assert from 'node:assert/strict';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me, testAccount, testRegion } from '../../builders/scenarioBuilder';
import { parseHostCommand } from '../../../src/cli/cliTarget';
import { targetArgs } from '../../../src/proxy/proxyArgv';
import { targetAlias } from '../../../src/targets/targetAlias';
import type { StudioAppTarget } from '../../../src/targets/sshTarget';
import { cliHome } from './cliHarness';
import type { CliHome } from './cliHarness';

const domainId = 'd-emulatordemo1';

function app(appName: string, appType: string): StudioAppTarget {
  return { kind: 'studioApp', domainId, ownerName: 'team-space', appName, appType };
}

/**
 * Two apps named `default` in one space (JupyterLab and Code Editor) are two hosts: the extension
 * and the CLI name them with the same function, and each alias leads back to its own app.
 */
describe('sm-ssh: Studio apps of different types with one name', function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let cli: CliHome | undefined;

  before(async () => {
    const b = new ScenarioBuilder();
    b.domain({
      id: domainId,
      name: 'ml-research',
      spaces: [
        {
          name: 'team-space',
          apps: [
            { type: 'JupyterLab', name: 'default', status: 'InService' },
            { type: 'CodeEditor', name: 'default', status: 'InService' },
          ],
        },
      ],
    });
    for (const type of ['jupyterlab', 'codeeditor']) {
      b.registration(
        'default',
        `arn:aws:sagemaker:${testRegion}:${testAccount}:app/${domainId}/team-space/${type}/default`,
        { owner: me.userId },
      );
    }
    emulator = await startEmulator({ scenario: b.build() });
    cli = cliHome(emulator);
  });
  after(async () => {
    await emulator?.close();
    cli?.remove();
  });

  it('list prints one alias per app, the ones the extension writes', async () => {
    const { code, stdout, stderr } = await cli!.run(['list', 'studio.sagemaker']);
    assert.equal(code, 0, stderr);
    const aliases = stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t').at(-1));
    const lab = targetAlias(app('default', 'JupyterLab'));
    const editor = targetAlias(app('default', 'CodeEditor'));
    assert.equal(lab, `default.team-space.${domainId}.studio.sagemaker`, 'JupyterLab keeps upstream’s alias');
    assert.equal(editor, `default.codeeditor.team-space.${domainId}.studio.sagemaker`);
    assert.deepEqual([...aliases].sort(), [editor, lab].sort(), stdout);
  });

  it('each alias, and each ProxyCommand’s flags, lead back to its own app', () => {
    for (const target of [app('default', 'JupyterLab'), app('default', 'CodeEditor')]) {
      const alias = targetAlias(target);
      assert.deepEqual(parseHostCommand('start-proxy', [alias]).host.target, target, alias);
      assert.deepEqual(
        parseHostCommand('start-proxy', [alias, ...targetArgs(target)]).host.target,
        target,
        `${alias} with flags`,
      );
    }
  });
});
