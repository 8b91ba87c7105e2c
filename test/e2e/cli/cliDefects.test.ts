import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me, testAccount, testRegion } from '../../builders/scenarioBuilder';
import { targetAlias } from '../../../src/targets/targetAlias';
import { cliHome } from './cliHarness';
import type { CliHome } from './cliHarness';

const bucket = `sagemaker-${testRegion}-${testAccount}`;
const goodAlias = targetAlias({ kind: 'trainingNode', jobName: 'good-job' });

/** Resolves once `text` appears in what the stream has written so far. */
function waitForOutput(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  let seen = '';
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve(seen);
    });
    stream.once('end', () => reject(new Error(`the process ended without printing ${pattern}:\n${seen}`)));
  });
}

/**
 * Issue 13, defects 7 and 8: the sm-ssh CLI run as a user would (real processes, real SDK clients
 * against the emulator, a temporary HOME).
 */
describe('sm-ssh: bad tags, flags, progress, advice and interruptions', function () {
  this.timeout(240_000);
  let emulator: Emulator;
  let empty: Emulator;
  const homes: CliHome[] = [];
  const home = (target: Emulator, options?: Parameters<typeof cliHome>[1]): CliHome => {
    const made = cliHome(target, options);
    homes.push(made);
    return made;
  };

  before(async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('good-job', { status: 'InProgress', creationTime: '-5m', ssh: { owner: me.userId } });
    b.trainingJob('offline-job', {
      status: 'InProgress',
      creationTime: '-5m',
      ssh: { owner: me.userId, pingStatus: 'ConnectionLost' },
    });
    b.trainingJob('tagged-job', { status: 'InProgress', instanceCount: 3, creationTime: '-6m' });
    b.trainingRegistration('tagged-job', { host: 'algo-1' });
    b.trainingRegistration('tagged-job', { host: 'algo-0' });
    b.trainingRegistration('tagged-job', { host: 'algo-10000' });
    b.trainingRegistration('tagged-job', { host: 'garbage; rm -rf /' });
    emulator = await startEmulator({ scenario: b.bucket(bucket).build() });
    empty = await startEmulator({ scenario: new ScenarioBuilder().build() });
  });
  after(async () => {
    await Promise.all([emulator.close(), empty.close()]);
    homes.forEach((h) => h.remove());
  });

  describe('defect 7: one bad SSHHost tag', () => {
    it('is skipped and reported; list still exits 0 and lists everything else', async () => {
      const run = await home(emulator).run(['list']);
      assert.equal(run.code, 0, run.stderr);
      const lines = run.stdout.trim().split('\n');
      assert.ok(lines.includes(`Online\ttraining\tInProgress\t${goodAlias}`), run.stdout);
      assert.ok(lines.includes('Online\ttraining\tInProgress\ttagged-job.training.sagemaker'), run.stdout);
      assert.equal(lines.filter((l) => l.includes('tagged-job')).length, 1, run.stdout);
      for (const tag of ['algo-0', 'algo-10000', 'garbage; rm -rf /']) {
        assert.ok(run.stderr.includes(`SSHHost tag "${tag}"`), run.stderr);
      }
      assert.doesNotMatch(run.stderr, /RangeError|failed:/);
    });
  });

  describe('defect 8: the CLI', () => {
    it('list uses --profile and --region instead of taking them for a filter', async () => {
      const user = home(emulator, { profiles: { dev: undefined } });
      const run = await user.run(['list', '--profile', 'dev', '--region', testRegion]);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.stdout.includes(goodAlias), run.stdout);
    });

    it('list says where it looked when an account has nothing', async () => {
      const run = await home(empty, { profiles: { dev: testRegion } }).run(['list', '--profile', 'dev']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^No training jobs .*Studio apps with SSH in us-east-1 \(profile dev\)\.$/m);
    });

    it('errors give the flag to use, not VS Code commands', async () => {
      const user = home(emulator, { profiles: { dev: undefined } });
      const noRegion = await user.run(['list', '--profile', 'dev'], { AWS_REGION: '' });
      assert.notEqual(noRegion.code, 0);
      assert.match(noRegion.stderr, /--region <region>/);
      assert.doesNotMatch(noRegion.stderr, /SageMaker SSH: Select|sagemakerSsh\./);
      const noProfile = await user.run(['list', '--profile', 'missing', '--region', testRegion]);
      assert.notEqual(noProfile.code, 0);
      assert.match(noProfile.stderr, /"missing" \(from --profile\).*Pass --profile <name>/);
      assert.doesNotMatch(noProfile.stderr, /SageMaker SSH: Select|sagemakerSsh\./);
    });

    it('stop-waiting on an unknown job says the job was not found', async () => {
      const run = await home(emulator).run(['stop-waiting', 'no-such-job.training.sagemaker']);
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /Training job "no-such-job" was not found in us-east-1.*pass --region/);
      assert.doesNotMatch(run.stderr, /No online SSH node/);
    });

    it('stop-waiting on a job whose nodes are all offline says so and how to see their status', async () => {
      const user = home(emulator);
      const run = await user.run(['stop-waiting', 'offline-job.training.sagemaker']);
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /No online SSH node of offline-job\.training\.sagemaker was found/);
      assert.match(
        run.stderr,
        /Run "sm-ssh list offline-job\.training\.sagemaker" to see each node's SSM ping status/,
      );
      const listed = await user.run(['list', 'offline-job.training.sagemaker']);
      assert.match(
        listed.stdout,
        /^ConnectionLost\ttraining\tInProgress\toffline-job\.training\.sagemaker$/m,
      );
    });

    it('connect to an offline node shows progress; SIGTERM stops it and writes no host', async () => {
      const user = home(emulator);
      const child = user.spawn(['connect', 'offline-job.training.sagemaker']);
      const exited = once(child, 'exit');
      await waitForOutput(child.stderr!, /Waiting for mi-\w+ to come Online \(ConnectionLost\)/);
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      assert.equal(code, 143);
      const managed = join(user.home, '.ssh', 'sagemaker-ssh', 'config');
      const written = existsSync(managed) ? readFileSync(managed, 'utf8') : '';
      assert.doesNotMatch(written, /offline-job/, 'an interrupted connect wrote its host');
    });

    it('removes temporary files a killed run left behind, and only those', async () => {
      const user = home(emulator);
      const dir = join(user.home, '.ssh', 'sagemaker-ssh');
      mkdirSync(dir, { recursive: true });
      const old = new Date(Date.now() - 3_600_000);
      // A pid that cannot be running (above Linux's pid_max), an old file: an orphan.
      const orphan = join(dir, '.config.4194305-0123456789ab.tmp');
      // Our own pid is alive: the file may still be in use.
      const live = join(dir, `.config.${process.pid}-0123456789ab.tmp`);
      const foreign = join(dir, 'notes.tmp');
      for (const file of [orphan, live, foreign]) {
        writeFileSync(file, 'x');
        utimesSync(file, old, old);
      }
      const run = await user.run(['config', goodAlias]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(
        readdirSync(dir)
          .filter((f) => f.endsWith('.tmp'))
          .sort(),
        [`.config.${process.pid}-0123456789ab.tmp`, 'notes.tmp'],
      );
    });
  });
});
