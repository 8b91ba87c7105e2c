import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { FlagCode } from '../../../src/ssm/protocolConstants';
import {
  HandshakeRefusedError,
  HandshakeTimeoutError,
  SessionTimedOutError,
} from '../../../src/ssm/sessionErrors';
import type { SessionEnd, SsmSession } from '../../../src/ssm/ssmSession';
import { openSession } from '../../../src/ssm/ssmSession';
import { runStdioProxy } from '../../../src/ssm/stdioProxy';
import { createSigV4UpgradeSigner } from '../../../src/ssm/sigv4UpgradeSigner';
import { useFakeWorld } from './support/fakeWorld';
import { startGreetingServer } from './support/localServers';
import { until } from '../../support/wait';

interface EchoRun {
  input: PassThrough;
  received: Promise<Buffer>;
  ended: Promise<SessionEnd>;
}

/** Runs the session as a stdio proxy against an echo target and collects `expected` bytes back. */
function echoThrough(session: SsmSession, expected: number): EchoRun {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  let total = 0;
  const received = new Promise<Buffer>((resolve) => {
    output.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= expected) resolve(Buffer.concat(chunks));
    });
  });
  return { input, received, ended: runStdioProxy(session, input, output) };
}

function writeInPieces(input: PassThrough, data: Buffer, piece = 7000): void {
  for (let offset = 0; offset < data.length; offset += piece)
    input.write(data.subarray(offset, offset + piece));
}

describe('ssm session against the fake agent', function () {
  this.timeout(60_000);
  const fixture = useFakeWorld();

  it('handshakes, reports the mode and sends OpenDataChannel with a fixed ClientId and 4-part version', async () => {
    const { session, agent } = await fixture.world.open({ target: `mi-${fixture.echo.port}` });
    assert.equal(session.mode, 'stream');
    assert.equal(session.agentVersion, '3.3.1802.0');
    assert.deepEqual(session.properties, { portNumber: '22' });
    assert.equal(agent.connections.length, 1);
    assert.match(agent.connections[0].clientVersion ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(agent.handshakeClientVersion, agent.connections[0].clientVersion);
    session.close();
  });

  it('carries bytes both ways and ends with TerminateSession when input ends', async () => {
    const { session, agent } = await fixture.world.open({ target: `mi-${fixture.echo.port}` });
    const data = randomBytes(300_000);
    const run = echoThrough(session, data.length);
    writeInPieces(run.input, data);
    assert.deepEqual(await run.received, data);
    run.input.end();
    assert.deepEqual(await run.ended, { kind: 'channel-closed', output: '', isError: false });
    await agent.whenClosed();
    assert.deepEqual(agent.flagsReceived, [FlagCode.TerminateSession]);
  });

  it('flushes and ends cleanly when the target closes (channel_closed without error)', async () => {
    const greeter = await startGreetingServer('hello from the target\n');
    try {
      const { session } = await fixture.world.open({ target: `mi-${greeter.port}` });
      const output = new PassThrough();
      const chunks: Buffer[] = [];
      output.on('data', (chunk: Buffer) => chunks.push(chunk));
      const end = await runStdioProxy(session, new PassThrough(), output);
      assert.deepEqual(end, { kind: 'channel-closed', output: '', isError: false });
      assert.equal(Buffer.concat(chunks).toString(), 'hello from the target\n');
    } finally {
      await greeter.close();
    }
  });

  it('reports a channel_closed with an error reason as an error end', async () => {
    const { session, agent } = await fixture.world.open({ target: `mi-${fixture.echo.port}` });
    const run = echoThrough(session, 1);
    await agent.terminate('Your session timed out due to inactivity and has been terminated.');
    const end = await run.ended;
    assert.equal(end.kind, 'channel-closed');
    assert.equal(end.kind === 'channel-closed' && end.isError, true);
  });

  it('refuses a session type other than Port', async () => {
    const credentials = fixture.world.service.registry.startSession({
      Target: `mi-${fixture.echo.port}`,
      DocumentName: 'SSM-SessionManagerRunShell',
    });
    const agent = fixture.world.service.registry.get(credentials.SessionId)!;
    await assert.rejects(
      openSession({
        sessionId: credentials.SessionId,
        streamUrl: credentials.StreamUrl,
        tokenValue: credentials.TokenValue,
      }),
      HandshakeRefusedError,
    );
    await agent.whenClosed();
    assert.match(agent.closeOutput ?? '', /failed to process/);
  });

  it('gives up when HandshakeComplete never comes', async () => {
    await assert.rejects(
      fixture.world.open(
        { target: `mi-${fixture.echo.port}` },
        { behaviour: { withholdHandshakeComplete: true }, tuning: { handshakeTimeoutMs: 300 } },
      ),
      HandshakeTimeoutError,
    );
  });

  const drops = [
    { mode: 'bye', times: 2 },
    { mode: 'terminate', times: 2 },
    { mode: 'silent', times: 1 },
  ] as const;
  for (const { mode, times } of drops) {
    it(`resumes after the service drops the WebSocket (${mode}) and loses nothing`, async () => {
      const { session, agent, resumes } = await fixture.world.open(
        { target: `mi-${fixture.echo.port}` },
        {
          behaviour: { disconnect: { mode, afterAgentMessages: 150, times } },
          tuning: { keepaliveIntervalMs: 100 },
        },
      );
      const data = randomBytes(600_000);
      const run = echoThrough(session, data.length);
      writeInPieces(run.input, data);
      assert.deepEqual(await run.received, data);
      assert.equal(resumes(), times);
      assert.equal(agent.connections.length, times + 1);
      assert.notEqual(
        agent.connections[1].token,
        agent.connections[0].token,
        'each reconnect uses a fresh token',
      );
      assert.equal(new Set(agent.connections.map((c) => c.clientId)).size, 1, 'ClientId stays the same');
      run.input.end();
      assert.equal((await run.ended).kind, 'channel-closed');
    });
  }

  it('ends with SessionTimedOutError when ResumeSession returns no token', async () => {
    const { session, agent } = await fixture.world.open({ target: `mi-${fixture.echo.port}` });
    fixture.world.service.registry.expire(session.sessionId);
    agent.disconnectClient('terminate');
    const end = await session.ended;
    assert.equal(end.kind, 'failed');
    assert.ok(end.kind === 'failed' && end.error instanceof SessionTimedOutError);
  });

  it('delivers identical bytes through drops, duplicates, reordering and delays in both directions', async () => {
    const faults = { dropPercent: 5, duplicatePercent: 5, reorderPercent: 5, delayPercent: 5, delayMs: 30 };
    const { session, agent } = await fixture.world.open(
      { target: `mi-${fixture.echo.port}` },
      { behaviour: { toClient: faults, toAgent: faults, seed: 42 } },
    );
    const data = randomBytes(400_000);
    const run = echoThrough(session, data.length);
    writeInPieces(run.input, data);
    assert.deepEqual(await run.received, data);
    assert.ok(
      agent.toClient.counters.dropped > 0 && agent.toAgent.counters.dropped > 0,
      'faults were injected',
    );
    assert.ok(session.stats.duplicatesReceived > 0 && session.stats.retransmitted > 0);
    run.input.end();
    await run.ended;
  });

  it('stops sending while publication is paused and continues on start_publication', async () => {
    const { session, agent } = await fixture.world.open({ target: `mi-${fixture.echo.port}` });
    const run = echoThrough(session, 5);
    agent.sendPublication('pause_publication');
    await until(() => session.publicationPaused);
    run.input.write('hello');
    await until(() => session.queuedMessages === 1);
    assert.equal(session.stats.sent, 1, 'only the HandshakeResponse went out');
    agent.sendPublication('start_publication');
    assert.equal((await run.received).toString(), 'hello');
    run.input.end();
    await run.ended;
  });

  it('accepts agent frames with corrupt digests and NUL-left-padded types', async () => {
    const { session } = await fixture.world.open(
      { target: `mi-${fixture.echo.port}` },
      { behaviour: { corruptDigestPercent: 100, typePadding: 'nul-left' } },
    );
    const run = echoThrough(session, 3);
    run.input.write('abc');
    assert.equal((await run.received).toString(), 'abc');
    assert.ok(session.stats.anomalies > 0);
    run.input.end();
    await run.ended;
  });

  it('signs the WebSocket upgrade for ssmmessages when given a signer', async () => {
    const signer = createSigV4UpgradeSigner({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
    });
    const { session, agent } = await fixture.world.open({ target: `mi-${fixture.echo.port}` }, { signer });
    const headers = agent.connections[0].headers;
    assert.match(
      String(headers.authorization),
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/ssmmessages\/aws4_request/,
    );
    assert.match(String(headers['x-amz-date']), /^\d{8}T\d{6}Z$/);
    assert.equal(headers['x-amz-security-token'], 'token');
    session.close();
  });
});
