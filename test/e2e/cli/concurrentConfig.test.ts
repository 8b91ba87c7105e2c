import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { targetAlias } from '../../../src/targets/targetAlias';
import { BLOCK_BEGIN } from '../../../src/ssh/config/includeBlock';
import { cliHome } from './cliHarness';
import type { CliHome } from './cliHarness';

const job = 'par-job';
const nodeCount = 10;
const aliases = Array.from({ length: nodeCount }, (_, i) =>
  targetAlias({ kind: 'trainingNode', jobName: job, node: i + 1 }),
);

function hostsIn(managedConfig: string): string[] {
  return [...readFileSync(managedConfig, 'utf8').matchAll(/^Host (\S+)$/gm)].map((m) => m[1]).sort();
}

function knownHostAliases(knownHosts: string): Set<string> {
  return new Set(
    readFileSync(knownHosts, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ')[0]),
  );
}

function blockCount(userConfig: string): number {
  return readFileSync(userConfig, 'utf8').split(BLOCK_BEGIN).length - 1;
}

/**
 * Issue 13, defect 5: parallel `sm-ssh config` runs (real processes) share our ssh config,
 * known_hosts and hosts.json. Every read-modify-write is locked, and a failing run takes back only
 * its own change.
 */
describe('sm-ssh config: parallel runs against one ssh config', function () {
  this.timeout(300_000);
  let emulator: Emulator;
  const homes: CliHome[] = [];
  const newHome = (): CliHome => {
    const home = cliHome(emulator);
    homes.push(home);
    return home;
  };

  before(async () => {
    const b = new ScenarioBuilder();
    b.trainingJob(job, {
      status: 'InProgress',
      instanceCount: nodeCount,
      creationTime: '-5m',
      ssh: { nodes: nodeCount, owner: me.userId },
    });
    emulator = await startEmulator({
      scenario: b.bucket().build(),
    });
  });
  after(async () => {
    await emulator.close();
    homes.forEach((home) => home.remove());
  });

  it('ten parallel runs all exit 0 and every host, host key and record is kept', async () => {
    const home = newHome();
    const runs = await Promise.all(aliases.map((alias) => home.run(['config', alias])));
    runs.forEach((run, i) => assert.equal(run.code, 0, `${aliases[i]}: ${run.stderr}`));
    assert.deepEqual(hostsIn(home.managedConfig), [...aliases, 'sagemaker-training'].sort());
    const pinned = knownHostAliases(home.knownHosts);
    aliases.forEach((alias) => assert.ok(pinned.has(alias), `${alias} has no pinned host key`));
    const records = JSON.parse(readFileSync(home.hostsJson, 'utf8')) as { hosts: Record<string, unknown> };
    assert.deepEqual(Object.keys(records.hosts).sort(), [...aliases].sort());
    assert.equal(blockCount(home.userConfig), 1);
    const leftovers = readdirSync(join(home.home, '.ssh', 'sagemaker-ssh')).filter((f) => /lock|tmp/.test(f));
    assert.deepEqual(leftovers, []);
  });

  it('a run that fails after writing takes back only its own host; the others and the Include stay', async () => {
    const home = newHome();
    const failing = aliases[4];
    // A mistake in the user's own config for one host (an unknown %-token) makes `ssh -G` fail for
    // it alone, so that run writes its host, cannot confirm it, and must roll back.
    mkdirSync(join(home.home, '.ssh'), { recursive: true });
    const userText = `Host ${failing}\n  ControlPath /tmp/%Z\n`;
    writeFileSync(home.userConfig, userText, { mode: 0o600 });
    const runs = await Promise.all(aliases.map((alias) => home.run(['config', alias])));
    runs.forEach((run, i) => {
      if (aliases[i] === failing) {
        assert.notEqual(run.code, 0);
        assert.match(run.stderr, /unknown key %Z/);
      } else {
        assert.equal(run.code, 0, `${aliases[i]}: ${run.stderr}`);
      }
    });
    const expected = aliases.filter((alias) => alias !== failing);
    assert.deepEqual(hostsIn(home.managedConfig), [...expected, 'sagemaker-training'].sort());
    assert.equal(blockCount(home.userConfig), 1);
    assert.ok(readFileSync(home.userConfig, 'utf8').endsWith(userText));
  });

  it('a failed connect on a machine without an ssh config leaves none behind', async () => {
    const home = newHome();
    // No ssh on PATH: the host is written, `ssh -G` cannot check it, and the run rolls back.
    const emptyBin = join(home.home, 'bin');
    mkdirSync(emptyBin);
    const run = await home.run(['config', aliases[0]], { PATH: emptyBin });
    assert.notEqual(run.code, 0, run.stdout);
    // It failed at the check after writing (not earlier, with nothing to take back).
    assert.match(run.stderr, /Could not run the OpenSSH client "ssh"/);
    assert.equal(existsSync(home.userConfig), false, 'the user ssh config was left behind');
    assert.equal(existsSync(home.managedConfig), false, 'our ssh config was left behind');
  });
});
