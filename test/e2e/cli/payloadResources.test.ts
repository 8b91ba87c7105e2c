import * as assert from 'node:assert/strict';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { payloadResourceTarget } from '../../../src/targets/payloadResource';
import { targetAlias } from '../../../src/targets/targetAlias';
import { cliHome } from './cliHarness';
import type { CliHome, CliRun } from './cliHarness';

const processingAlias = targetAlias(payloadResourceTarget('processing', 'Prep-Data'));
const notebookAlias = targetAlias(payloadResourceTarget('notebook', 'nb-1'));

/**
 * Processing jobs and notebook instances whose containers run the payload and registered as
 * upstream's sm-init-ssm does (no SSHHost tag): `sm-ssh list`, then real OpenSSH through the
 * ProxyCommand (`start-proxy`) the CLI wrote, `connect` to node 2, `shell`, and `stop-waiting`.
 */
describe('sm-ssh with processing jobs and notebook instances (issue 12, item 5)', function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let cli: CliHome;

  before(async () => {
    const scenario = new ScenarioBuilder().build();
    emulator = await startEmulator({
      scenario: {
        ...scenario,
        sagemaker: {
          ...scenario.sagemaker,
          processingJobs: [
            { name: 'Prep-Data', creationTime: '-5m', instanceCount: 2, ssh: { nodes: 2, owner: me.userId } },
            { name: 'old-prep', status: 'Completed', creationTime: '-2d' },
          ],
          notebookInstances: [{ name: 'nb-1', creationTime: '-3d', ssh: { owner: me.userId } }],
          endpoints: [
            { name: 'ep-quiet', creationTime: '-1d' },
            { name: 'ep-live', creationTime: '-2d', ssh: { owner: me.userId } },
          ],
        },
      },
    });
    cli = cliHome(emulator);
  });
  after(async () => {
    await emulator?.close();
    cli?.remove();
  });

  const smSsh = async (...args: string[]): Promise<CliRun> => {
    const result = await cli.run(args);
    assert.equal(result.code, 0, result.stderr);
    return result;
  };

  it('list shows each processing node, the notebook instance and the endpoint, by type', async () => {
    const { stdout } = await smSsh('list');
    const lines = stdout.trim().split('\n');
    assert.ok(lines.includes(`Online\tprocessing\tInProgress\t${processingAlias}`), stdout);
    assert.ok(lines.includes(`Online\tprocessing\tInProgress\talgo-2.${processingAlias}`), stdout);
    assert.ok(lines.includes('ssh:NotFound\tprocessing\tCompleted\told-prep.processing.sagemaker'), stdout);
    assert.ok(lines.includes(`Online\tnotebook\tInService\t${notebookAlias}`), stdout);
    assert.ok(lines.includes('ssh:NotFound\tinference\tInService\tep-quiet.inference.sagemaker'), stdout);
    assert.ok(lines.includes('Online\tinference\tInService\tep-live.inference.sagemaker'), stdout);
    const onlyNotebooks = await smSsh('list', 'notebook.sagemaker');
    assert.equal(onlyNotebooks.stdout, `Online\tnotebook\tInService\t${notebookAlias}\n`);
  });

  it('config writes the host; plain ssh reaches the processing job as root, host keys pinned', async () => {
    await smSsh('config', processingAlias);
    assert.equal(await cli.ssh(processingAlias, 'hostname'), 'algo-1');
    assert.equal(
      await cli.ssh(
        processingAlias,
        'id -un; cat /opt/ml/config/processingjobconfig.json | grep -c Prep-Data',
      ),
      'root\n1',
    );
  });

  it('connect reaches node 2 by its algo-2 alias (named from its ComputerName, no SSHHost tag)', async () => {
    const { stdout } = await smSsh('connect', `algo-2.${processingAlias}`, 'hostname');
    assert.equal(stdout.trim(), 'algo-2');
  });

  it("ssh into the notebook instance's container as root in /root", async () => {
    await smSsh('config', notebookAlias);
    assert.equal(await cli.ssh(notebookAlias, 'id -un; pwd'), 'root\n/root');
  });

  it("ssh reaches the endpoint's container, found through the endpoint's log (its tags name no endpoint)", async () => {
    await smSsh('config', 'ep-live.inference.sagemaker');
    assert.match(await cli.ssh('ep-live.inference.sagemaker', 'hostname'), /^ip-10-2-1-\d+$/);
  });

  it('shell runs piped commands in the notebook container, with no ssh', async () => {
    const result = await cli.piped(
      ['shell', notebookAlias],
      'grep -o notebook-instance/nb-1 /opt/ml/metadata/resource-metadata.json\n',
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'notebook-instance/nb-1');
  });

  it('stop-waiting creates the flag file on every node of the processing job', async () => {
    const { stdout } = await smSsh('stop-waiting', processingAlias);
    assert.match(stdout, /algo-1: .*sm-wait-stopped/);
    assert.match(stdout, /algo-2: .*sm-wait-stopped/);
  });

  it('refuses a processing job that is not running, naming its status', async () => {
    const result = await cli.run(['connect', 'old-prep.processing.sagemaker', 'true']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /Processing job "old-prep" is Completed/);
  });
});
