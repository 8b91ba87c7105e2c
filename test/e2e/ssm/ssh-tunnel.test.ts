import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import type { AgentBehaviour } from '../../emulator/datachannel/agent-behaviour';
import type { TempDir } from './support/files';
import { makeTempDir, sha256File, writeRandomFile } from './support/files';
import type { TunnelWorld } from './support/tunnel-world';
import { SSH_TARGET, startTunnelWorld } from './support/tunnel-world';

const MiB = 1024 * 1024;

/** Copies `size` random bytes up and back down with scp and compares SHA-256 of all three files. */
async function roundTrip(world: TunnelWorld, dir: TempDir, name: string, size: number): Promise<void> {
  const local = dir.file(`${name}.src`);
  const remote = dir.file(`${name}.remote`);
  const back = dir.file(`${name}.back`);
  await writeRandomFile(local, size);
  const up = await world.scp([local, `${SSH_TARGET}:${remote}`]);
  assert.equal(up.code, 0, `upload failed: ${up.stderr}`);
  const down = await world.scp([`${SSH_TARGET}:${remote}`, back]);
  assert.equal(down.code, 0, `download failed: ${down.stderr}`);
  const expected = await sha256File(local);
  assert.equal(await sha256File(remote), expected, 'upload changed the bytes');
  assert.equal(await sha256File(back), expected, 'download changed the bytes');
}

describe('e2e: ssh through sm-ssh ssm-proxy and the fake agent (real OpenSSH)', function () {
  this.timeout(180_000);
  let world: TunnelWorld;
  let dir: TempDir;
  let behaviour: Partial<AgentBehaviour> = {};

  before(async () => {
    world = await startTunnelWorld({ behaviour: () => behaviour });
    dir = await makeTempDir('sm-ssh-e2e-');
  });

  after(async () => {
    await world?.close();
    await dir?.remove();
  });

  afterEach(() => {
    behaviour = {};
    assert.deepEqual(world.sessions.violations(), [], 'strict mode recorded client protocol violations');
  });

  it('runs a remote command with the host key pinned', async () => {
    const result = await world.ssh('echo "tunnel ok: $((6 * 7))"; exit 3');
    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stdout.toString(), 'tunnel ok: 42\n');
    const session = world.sessions.all().at(-1)!;
    assert.equal(session.target, SSH_TARGET);
    assert.equal(session.document.name, 'AWS-StartSSHSession');
  });

  it('puts nothing but tunnel bytes on stdout: the first byte out is the sshd banner', async () => {
    let stdout = Buffer.alloc(0);
    const input = new PassThrough();
    input.write('SSH-2.0-e2e_probe\r\n');
    const result = await world.cli(['ssm-proxy', '--target', SSH_TARGET], {
      input,
      onStdout: (chunk) => {
        stdout = Buffer.concat([stdout, chunk]);
        if (stdout.includes(0x0a)) input.end();
      },
      killAfterMs: 30_000,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(stdout.toString('latin1'), /^SSH-2\.0-OpenSSH[^\r\n]*\r\n/);
  });

  it('copies 64 MiB each way with scp, byte for byte', async () => {
    await roundTrip(world, dir, 'clean', 64 * MiB);
  });

  it('serves 20 concurrent ssh sessions', async () => {
    const before = world.sessions.all().length;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        world.ssh(`head -c ${(index + 1) * 10_000} /dev/zero | wc -c`),
      ),
    );
    results.forEach((result, index) => {
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.toString().trim(), String((index + 1) * 10_000));
    });
    assert.equal(world.sessions.all().length - before, 20);
  });

  describe('under faults', () => {
    it('survives 5 % drops, 5 % duplicates and reordering in both directions', async () => {
      const faults = { dropPercent: 5, duplicatePercent: 5, reorderPercent: 5 };
      behaviour = { toClient: faults, toAgent: faults, seed: 7 };
      await roundTrip(world, dir, 'lossy', 8 * MiB);
      const lossy = world.sessions.all().slice(-2);
      for (const session of lossy) {
        assert.ok(session.toClient.counters.dropped > 0, 'drops were injected toward the client');
        assert.ok(session.toAgent.counters.duplicated > 0, 'duplicates were injected toward the agent');
      }
    });

    it('resumes a transfer after the service closes the WebSocket with 1000 "Bye"', async () => {
      behaviour = { disconnect: { mode: 'bye', afterClientMessages: 3000, times: 2 } };
      await roundTrip(world, dir, 'bye', 16 * MiB);
      for (const session of world.sessions.all().slice(-2)) {
        assert.equal(session.connections.length, 3, 'two reconnects, each with a fresh token');
      }
    });

    it('resumes a transfer after the connection drops without a close frame', async () => {
      behaviour = {
        disconnect: { mode: 'terminate', afterClientMessages: 4000, times: 1 },
        toClient: { delayPercent: 2, delayMs: 20 },
      };
      await roundTrip(world, dir, 'dropped', 16 * MiB);
      for (const session of world.sessions.all().slice(-2)) assert.equal(session.connections.length, 2);
    });
  });
});
