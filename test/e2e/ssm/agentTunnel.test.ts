import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { RelaySession } from '../../emulator/datachannel/relaySession';
import type { AgentWorld } from './support/agentWorld';
import { startAgentWorld } from './support/agentWorld';
import type { TempDir } from './support/files';
import { makeTempDir, sha256File, writeRandomFile } from './support/files';
import { bannerProbe, runProcess } from './support/sshRunner';
import type { TunnelClientName } from './support/tunnelClients';
import { TUNNEL_CLIENTS, runsAwsPlugin } from './support/tunnelClients';

const MiB = 1024 * 1024;
const KiB = 1024;

/** Uploads `size` random bytes with scp and compares SHA-256 with the container's copy. */
async function upload(world: AgentWorld, dir: TempDir, name: string, size: number): Promise<void> {
  const local = dir.file(`${name}.up`);
  await writeRandomFile(local, size);
  const up = await world.scp([local, `${world.target}:/tmp/${name}.up`], { killAfterMs: 200_000 });
  assert.equal(up.code, 0, `upload failed: ${up.stderr}`);
  const remoteUp = await world.container.exec(`sha256sum /tmp/${name}.up | cut -d' ' -f1`);
  assert.equal(remoteUp.stdout.trim(), await sha256File(local), 'upload changed the bytes');
}

/**
 * Uploads `up` random bytes with scp and downloads `down` random bytes made in the container; compares
 * SHA-256 on both ends. AWS's agent paces what it sends (1 KiB reads, 1 ms sleep: ~1 MB/s) and resends
 * only its oldest unacknowledged message per 100 ms, so downloads stay small.
 */
async function transfer(
  world: AgentWorld,
  dir: TempDir,
  name: string,
  sizes: { up: number; down: number },
): Promise<void> {
  await upload(world, dir, name, sizes.up);
  await world.container.exec(`head -c ${sizes.down} /dev/urandom > /tmp/${name}.down`);
  const remoteDown = await world.container.exec(`sha256sum /tmp/${name}.down | cut -d' ' -f1`);
  const back = dir.file(`${name}.down`);
  const down = await world.scp([`${world.target}:/tmp/${name}.down`, back], { killAfterMs: 200_000 });
  assert.equal(down.code, 0, `download failed: ${down.stderr}`);
  assert.equal(await sha256File(back), remoteDown.stdout.trim(), 'download changed the bytes');
}

/**
 * Uploads 1 MiB with scp, then downloads 1 MiB made in the container and compares SHA-256 on both
 * ends. The remote side sends the second half only after a line on stdin, which the test writes right
 * after `drop` ran on the session's relay, a quarter of the way in: the drop falls while the first
 * half is in flight, and the session cannot end before the stdin line and the second half crossed the
 * resumed connection, however fast or slow the transfer runs.
 */
async function downloadAcrossDrop(
  world: AgentWorld,
  dir: TempDir,
  name: string,
  drop: (relay: RelaySession) => void,
): Promise<RelaySession | undefined> {
  await upload(world, dir, name, MiB);
  const half = 512 * KiB;
  await world.container.exec(`head -c ${2 * half} /dev/urandom > /tmp/${name}.down`);
  const remote = await world.container.exec(`sha256sum /tmp/${name}.down | cut -d' ' -f1`);
  const before = world.sessions.relays().length;
  const input = new PassThrough();
  const received: Buffer[] = [];
  let length = 0;
  let dropped: RelaySession | undefined;
  const result = await world.ssh(
    `head -c ${half} /tmp/${name}.down && read go && tail -c +${half + 1} /tmp/${name}.down`,
    {
      input,
      killAfterMs: 200_000,
      onStdout: (chunk) => {
        received.push(chunk);
        length += chunk.length;
        if (dropped || length < half / 2) return;
        dropped = world.sessions.relays().slice(before).at(-1)!;
        drop(dropped);
        input.end('go\n');
      },
    },
  );
  assert.equal(result.code, 0, `download failed: ${result.stderr}`);
  const local = createHash('sha256').update(Buffer.concat(received)).digest('hex');
  assert.equal(local, remote.stdout.trim(), 'download changed the bytes');
  return dropped;
}

for (const client of TUNNEL_CLIENTS) describeAgentTunnel(client);

function describeAgentTunnel(client: TunnelClientName): void {
  // AWS's plugin sends at most 1 KiB per 1 ms sleep (under 1 MB/s up): its uploads are smaller.
  const plugin = runsAwsPlugin(client);
  describe(`e2e: ssh through ${client} ↔ the relay ↔ AWS's agent (real OpenSSH)`, function () {
    this.timeout(240_000);
    let world: AgentWorld;
    let dir: TempDir;

    before(async () => {
      world = await startAgentWorld(client);
      dir = await makeTempDir('sm-ssh-agent-e2e-');
    });

    after(async () => {
      await world?.close();
      await dir?.remove();
    });

    afterEach(() => {
      world.sessions.relayFaults = undefined;
      for (const relay of world.sessions.relays()) assert.deepEqual(relay.violations, []);
      assert.equal(world.sessions.all().length, 0, 'no fake agent took part');
    });

    it("runs a remote command in the container through AWS's ssm-session-worker, host key pinned", async () => {
      const result = await world.ssh('echo "tunnel ok: $((6 * 7)) on $(hostname)"; exit 3');
      assert.equal(result.code, 3, result.stderr);
      assert.equal(result.stdout.toString(), 'tunnel ok: 42 on algo-1\n');
      const relay = world.lastRelay();
      assert.equal(relay.target, world.target);
      assert.ok(relay.relayed.agent > 3 && relay.relayed.client > 3, JSON.stringify(relay.relayed));
    });

    it("puts nothing but tunnel bytes on stdout (AWS's plugin announces the session first)", async () => {
      const probe = bannerProbe();
      const [command, ...args] = world.client.proxy(world.target, '22');
      const result = await runProcess(command!, args, { env: world.client.env, ...probe });
      assert.equal(result.code, 0, result.stderr);
      const preamble = world.client.stdoutPreamble(world.lastRelay().sessionId);
      const stdout = probe.stdout();
      assert.equal(stdout.subarray(0, preamble.length).toString('latin1'), preamble);
      assert.match(stdout.subarray(preamble.length).toString('latin1'), /^SSH-2\.0-OpenSSH[^\r\n]*\r\n/);
    });

    it(`copies ${plugin ? 16 : 64} MiB up and 4 MiB down with scp, byte for byte`, async () => {
      await transfer(world, dir, 'clean', { up: (plugin ? 16 : 64) * MiB, down: 4 * MiB });
    });

    it('serves 20 concurrent ssh sessions', async function () {
      // AWS's plugin sends its handshake response and the first tunnel bytes from different goroutines
      // without a lock on its sequence counter (aws/session-manager-plugin PR #105, unmerged): with 20 sessions
      // starting at once, one regularly starts damaged (ssh exit 255). Our client is held to it.
      if (plugin) this.skip();
      const before = world.sessions.relays().length;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          world.ssh(`head -c ${(index + 1) * 10_000} /dev/zero | wc -c`),
        ),
      );
      results.forEach((result, index) => {
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout.toString().trim(), String((index + 1) * 10_000));
      });
      assert.equal(world.sessions.relays().length - before, 20);
    });

    describe('under relay faults', () => {
      // AWS's plugin against AWS's agent ends the session under 5 % drops ("scp: Connection closed",
      // both ways), and now and then under duplicates and reordering alone (1 CI run in 4): it is not
      // held to faults. Our client is, in every run.
      const drops = plugin ? 0 : 5;
      it(`survives ${drops} % drops, 5 % duplicates and reordering in both directions`, async function () {
        if (plugin) this.skip();
        const faults = { dropPercent: drops, duplicatePercent: 5, reorderPercent: 5 };
        world.sessions.relayFaults = { toClient: faults, toAgent: faults };
        const before = world.sessions.relays().length;
        await transfer(world, dir, 'lossy', { up: plugin ? MiB : 8 * MiB, down: 256 * KiB });
        for (const relay of world.sessions.relays().slice(before)) {
          if (drops > 0)
            assert.ok(relay.toClient.counters.dropped > 0, 'drops were injected toward the client');
          assert.ok(relay.toAgent.counters.duplicated > 0, 'duplicates were injected toward the agent');
          assert.ok(relay.toClient.counters.reordered > 0, 'reordering was injected toward the client');
        }
      });

      // AWS's plugin ends the session when a send fails on a closed WebSocket (ReadStream in its
      // portsession/standardstreamforwarding.go returns the error): only our client is held to resuming.
      if (plugin) return;

      for (const mode of ['bye', 'abrupt'] as const) {
        it(`resumes a download after the service drops the WebSocket (${mode === 'bye' ? 'close 1000 "Bye"' : 'no close frame'})`, async () => {
          const dropped = await downloadAcrossDrop(world, dir, `drop-${mode}`, (relay) =>
            relay.disconnectClient(mode),
          );
          assert.ok(dropped, 'the WebSocket was dropped mid-transfer');
          assert.deepEqual(dropped.violations, []);
        });
      }
    });
  });
}
