import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me, testAccount, testRegion } from '../../builders/scenarioBuilder';
import { sshAliasFor } from '../../../src/connect/sshAlias';
import { writeEmulatorProfile } from '../../builders/awsEnvironment';

const run = promisify(execFile);
const cli = resolve(__dirname, '../../../src/cli/sm-ssh.js');
const jobAlias = sshAliasFor({ kind: 'training-job', jobName: 'Cli-Job' });

/**
 * The upstream sm-ssh commands, run as a user would from a terminal: a real process with its own
 * HOME, AWS config pointing at the emulator, and real OpenSSH using the config the CLI wrote.
 */
describe('sm-ssh list / config / connect / stop-waiting against simulated containers', function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let home: string;
  let env: NodeJS.ProcessEnv;

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
      scenario: b.build({ s3: { buckets: [{ name: `sagemaker-${testRegion}-${testAccount}` }] } }),
    });
    home = mkdtempSync(join(tmpdir(), 'smssh-cli-home-'));
    env = {
      PATH: process.env.PATH,
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      // OpenSSH finds ~/.ssh/config through the passwd entry, not $HOME: use a config of our own.
      SM_SSH_CONFIG_FILE: join(home, '.ssh', 'cli_config'),
    };
    writeEmulatorProfile(emulator, 'me', env.AWS_CONFIG_FILE!, env.AWS_SHARED_CREDENTIALS_FILE!);
  });
  after(async () => {
    await emulator.close();
    rmSync(home, { recursive: true, force: true });
  });

  const smSsh = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
    run(process.execPath, [cli, ...args], { env, timeout: 120_000 });
  // OpenSSH finds ~/.ssh/config through the passwd entry, not $HOME, so name the file.
  const ssh = async (alias: string, command: string): Promise<string> =>
    (
      await run('ssh', ['-F', env.SM_SSH_CONFIG_FILE!, '-o', 'BatchMode=yes', alias, command], {
        env,
        timeout: 60_000,
      })
    ).stdout.trim();

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
    const ours = readFileSync(join(home, '.ssh', 'sagemaker-ssh', 'config'), 'utf8');
    assert.match(ours, /StrictHostKeyChecking yes/);
    assert.match(
      ours,
      new RegExp(`ProxyCommand .*sm-ssh\\.js"? start-proxy ${jobAlias.replace(/\./g, '\\.')}`),
    );
    assert.equal(await ssh(jobAlias, 'hostname'), 'algo-1');
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
    const fresh = mkdtempSync(join(tmpdir(), 'smssh-cli-bad-'));
    try {
      await assert.rejects(
        run(process.execPath, [cli, 'config', 'Bad_Name.training.sagemaker'], {
          env: { ...env, HOME: fresh },
        }),
        (error: { code: number; stderr: string }) => error.code === 2 && /Bad_Name/.test(error.stderr),
      );
      assert.equal(existsSync(join(fresh, '.ssh')), false);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('needs no S3 bucket: the public key travels inline in SendCommand', async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('nobucket-job', { status: 'InProgress', creationTime: '-5m', ssh: { owner: me.userId } });
    const other = await startEmulator({ scenario: b.build() });
    const fresh = mkdtempSync(join(tmpdir(), 'smssh-cli-nob-'));
    try {
      writeEmulatorProfile(other, 'me', join(fresh, 'c'), join(fresh, 'k'));
      const { stdout } = await run(process.execPath, [cli, 'config', 'nobucket-job.training.sagemaker'], {
        env: {
          ...env,
          HOME: fresh,
          AWS_CONFIG_FILE: join(fresh, 'c'),
          AWS_SHARED_CREDENTIALS_FILE: join(fresh, 'k'),
          SM_SSH_CONFIG_FILE: join(fresh, '.ssh', 'cli_config'),
        },
      });
      assert.match(stdout, /run: ssh nobucket-job\.training\.sagemaker/);
      assert.equal(existsSync(join(fresh, '.ssh', 'sagemaker-ssh', 'config')), true);
      assert.deepEqual(other.calls.filter({ service: 's3' }), []);
    } finally {
      await other.close();
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
