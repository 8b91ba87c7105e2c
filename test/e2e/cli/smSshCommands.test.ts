import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { targetAlias } from '../../../src/targets/targetAlias';
import { cliHome } from './cliHarness';
import type { CliHome, CliRun } from './cliHarness';

const jobAlias = targetAlias({ kind: 'trainingNode', jobName: 'Cli-Job' });

/**
 * The upstream sm-ssh commands, run as a user would from a terminal: a real process with its own
 * HOME, AWS config pointing at the emulator, and real OpenSSH using the config the CLI wrote.
 */
describe('sm-ssh list / config / connect / stop-waiting against simulated containers', function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let cli: CliHome;

  before(async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('Cli-Job', {
      status: 'InProgress',
      instanceCount: 2,
      creationTime: '-5m',
      ssh: { nodes: 2, owner: me.userId },
    });
    b.trainingJob('quiet-job', { status: 'Completed', creationTime: '-1h' });
    emulator = await startEmulator({
      scenario: b.bucket().build(),
    });
    cli = cliHome(emulator);
  });
  after(async () => {
    await emulator.close();
    cli.remove();
  });

  /** `sm-ssh <args>`, which must succeed. */
  const smSsh = async (...args: string[]): Promise<CliRun> => {
    const result = await cli.run(args);
    assert.equal(result.code, 0, result.stderr);
    return result;
  };
  const ssh = (alias: string, command: string): Promise<string> => cli.ssh(alias, command);

  it('list shows each SSH node with its ping status, and jobs without SSH', async () => {
    const { stdout } = await smSsh('list', 'training.sagemaker');
    const lines = stdout.trim().split('\n');
    assert.ok(lines.includes(`Online\ttraining\tInProgress\t${jobAlias}`), stdout);
    assert.ok(lines.includes(`Online\ttraining\tInProgress\talgo-2.${jobAlias}`), stdout);
    assert.ok(lines.includes('ssh:NotFound\ttraining\tCompleted\tquiet-job.training.sagemaker'), stdout);
  });

  it('config <host> installs the key and writes the host; plain ssh then works with host keys pinned', async () => {
    const { stdout } = await smSsh('config', jobAlias);
    assert.match(stdout, new RegExp(`run: ssh ${jobAlias.replace(/\./g, '\\.')}`));
    const ours = readFileSync(cli.managedConfig, 'utf8');
    assert.match(ours, /StrictHostKeyChecking yes/);
    assert.match(
      ours,
      // out/src/cli/smSsh.js as tsc builds it, dist/sm-ssh.js as bundled (SM_SSH_TEST_CLI)
      new RegExp(`ProxyCommand .*(smSsh|sm-ssh)\\.js"? start-proxy ${jobAlias.replace(/\./g, '\\.')}`),
    );
    assert.equal(await ssh(jobAlias, 'hostname'), 'algo-1');
  });

  it('config without a host prints our ssh config and the file that includes it', async () => {
    const { stdout } = await smSsh('config');
    assert.ok(stdout.startsWith(`# ${cli.managedConfig} (included from ${cli.userConfig})\n`), stdout);
    assert.match(stdout, new RegExp(`^Host ${jobAlias.replace(/\./g, '\\.')}$`, 'm'));
  });

  it('connect runs ssh with the extra arguments', async () => {
    const { stdout } = await smSsh('connect', `algo-2.${jobAlias}`, 'hostname');
    assert.equal(stdout.trim(), 'algo-2');
  });

  it('stop-waiting creates the flag file on every online node', async () => {
    const { stdout } = await smSsh('stop-waiting', jobAlias);
    assert.match(stdout, /algo-1: .*sm-wait-stopped/);
    assert.match(stdout, /algo-2: .*sm-wait-stopped/);
    assert.equal(await ssh(jobAlias, 'test -f /tmp/sm-wait-stopped && echo yes'), 'yes');
  });

  it('refuses an alias that is not a SageMaker name, writing nothing', async () => {
    const fresh = cliHome(emulator);
    try {
      const { code, stderr } = await fresh.run(['config', 'Bad_Name.training.sagemaker']);
      assert.equal(code, 2, stderr);
      assert.match(stderr, /Bad_Name/);
      assert.equal(existsSync(join(fresh.home, '.ssh')), false);
    } finally {
      fresh.remove();
    }
  });

  it('needs no S3 bucket: the public key travels inline in SendCommand', async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('nobucket-job', { status: 'InProgress', creationTime: '-5m', ssh: { owner: me.userId } });
    const other = await startEmulator({ scenario: b.build() });
    const fresh = cliHome(other);
    try {
      const { code, stdout, stderr } = await fresh.run(['config', 'nobucket-job.training.sagemaker']);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /run: ssh nobucket-job\.training\.sagemaker/);
      assert.equal(existsSync(fresh.managedConfig), true);
      assert.deepEqual(other.calls.filter({ service: 's3' }), []);
    } finally {
      await other.close();
      fresh.remove();
    }
  });
});
