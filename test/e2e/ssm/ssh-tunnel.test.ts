import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import type { AgentBehaviour } from '../../emulator/datachannel/agent-behaviour';
import type { TempDir } from './support/files';
import { makeTempDir, sha256File, writeRandomFile } from './support/files';
import { runProcess } from './support/ssh-runner';
import type { TunnelClientName } from './support/tunnel-clients';
import { TUNNEL_CLIENTS } from './support/tunnel-clients';
import type { TunnelWorld } from './support/tunnel-world';
import { SSH_TARGET, startTunnelWorld } from './support/tunnel-world';

const MiB = 1024 * 1024;

/**
 * Transfer sizes per client. AWS's plugin sends at most 1 KiB per 1 ms sleep (under 1 MB/s up), so the
 * runs that launch it through the AWS CLI copy less; through `sm-ssh --use-plugin` it copies the full size.
 */
const SIZE_FACTOR: Record<TunnelClientName, number> = {
  'sm-ssh': 1,
  'sm-ssh --use-plugin': 1,
  'aws + plugin': 1 / 4,
  'aws + sm-ssh': 1,
};

/** Copies `size` random bytes up and back down with scp and compares SHA-256 of all three files. */
async function roundTrip(world: TunnelWorld, dir: TempDir, name: string, size: number): Promise<void> {
  const local = dir.file(`${name}.src`);
  const remote = dir.file(`${name}.remote`);
  const back = dir.file(`${name}.back`);
  await writeRandomFile(local, size);
  // AWS's plugin uploads under 1 MB/s: 64 MiB takes it over a minute on a busy machine.
  const up = await world.scp([local, `${SSH_TARGET}:${remote}`], { killAfterMs: 200_000 });
  assert.equal(up.code, 0, `upload failed: ${up.stderr}`);
  const down = await world.scp([`${SSH_TARGET}:${remote}`, back], { killAfterMs: 200_000 });
  assert.equal(down.code, 0, `download failed: ${down.stderr}`);
  const expected = await sha256File(local);
  assert.equal(await sha256File(remote), expected, 'upload changed the bytes');
  assert.equal(await sha256File(back), expected, 'download changed the bytes');
}

/** AWS's plugin, started by our CLI or by the AWS CLI. */
const AWS_PLUGIN: ReadonlySet<TunnelClientName> = new Set(['sm-ssh --use-plugin', 'aws + plugin']);

for (const client of TUNNEL_CLIENTS) describeTunnel(client);

function describeTunnel(client: TunnelClientName): void {
  const size = (mebibytes: number): number => Math.round(mebibytes * MiB * SIZE_FACTOR[client]);
  describe(`e2e: ssh through ${client} and the fake agent (real OpenSSH)`, function () {
    this.timeout(240_000);
    let world: TunnelWorld;
    let dir: TempDir;
    let behaviour: Partial<AgentBehaviour> = {};

    before(async () => {
      world = await startTunnelWorld({ behaviour: () => behaviour, client });
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

    it("puts nothing but tunnel bytes on stdout (AWS's plugin announces the session first)", async () => {
      let stdout = Buffer.alloc(0);
      const input = new PassThrough();
      input.write('SSH-2.0-e2e_probe\r\n');
      const [command, ...args] = world.client.proxy(SSH_TARGET, '22');
      const result = await runProcess(command!, args, {
        env: world.client.env,
        input,
        onStdout: (chunk) => {
          stdout = Buffer.concat([stdout, chunk]);
          if (/SSH-2\.0-[^\n]*\n/.test(stdout.toString('latin1'))) input.end();
        },
        killAfterMs: 30_000,
      });
      assert.equal(result.code, 0, result.stderr);
      const preamble = world.client.stdoutPreamble(world.sessions.all().at(-1)!.sessionId);
      assert.equal(stdout.subarray(0, preamble.length).toString('latin1'), preamble);
      assert.match(stdout.subarray(preamble.length).toString('latin1'), /^SSH-2\.0-OpenSSH[^\r\n]*\r\n/);
    });

    it(`copies ${size(64) / MiB} MiB each way with scp, byte for byte`, async () => {
      await roundTrip(world, dir, 'clean', size(64));
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
        // AWS's plugin resends one lost message per tick: 5 % loss costs it seconds per MiB.
        await roundTrip(world, dir, 'lossy', AWS_PLUGIN.has(client) ? MiB : size(8));
        const lossy = world.sessions.all().slice(-2);
        for (const session of lossy) {
          assert.ok(session.toClient.counters.dropped > 0, 'drops were injected toward the client');
          assert.ok(session.toAgent.counters.duplicated > 0, 'duplicates were injected toward the agent');
        }
      });

      // AWS's plugin ends the session when a send fails on a closed WebSocket (ReadStream in its
      // portsession/standardstreamforwarding.go returns the error), and ssh keeps sending window
      // adjustments even while it downloads: whether it survives a disconnect is a race, so only our
      // client is held to resuming.
      if (AWS_PLUGIN.has(client)) return;

      it('resumes a transfer after the service closes the WebSocket with 1000 "Bye"', async () => {
        behaviour = { disconnect: { mode: 'bye', afterClientMessages: 3000, times: 2 } };
        await roundTrip(world, dir, 'bye', size(16));
        for (const session of world.sessions.all().slice(-2)) {
          assert.equal(session.connections.length, 3, 'two reconnects, each with a fresh token');
        }
      });

      it('resumes a transfer after the connection drops without a close frame', async () => {
        behaviour = {
          disconnect: { mode: 'terminate', afterClientMessages: 4000, times: 1 },
          toClient: { delayPercent: 2, delayMs: 20 },
        };
        await roundTrip(world, dir, 'dropped', size(16));
        for (const session of world.sessions.all().slice(-2)) assert.equal(session.connections.length, 2);
      });
    });
  });
}
