import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { encodeClientMessage } from '../../../src/ssm/clientMessage';
import type { ClientMessage } from '../../../src/ssm/clientMessage';
import type { FakeAgentSession } from '../../emulator/datachannel/fakeAgentSession';
import type { FakeSsmService } from '../../emulator/datachannel/fakeSsmService';
import { startFakeSsmService } from '../../emulator/datachannel/fakeSsmService';
import type { LocalServer } from './support/localServers';
import { startEchoServer } from './support/localServers';
import { until } from '../../support/wait';

function frame(fields: Partial<ClientMessage>): Buffer {
  return encodeClientMessage({
    messageType: 'input_stream_data',
    schemaVersion: 1,
    createdDate: Date.now(),
    sequenceNumber: 0,
    flags: 0,
    messageId: randomUUID(),
    payloadType: 1,
    payload: Buffer.from('data'),
    ...fields,
  });
}

const HANDSHAKE_RESPONSE = Buffer.from(
  JSON.stringify({
    ClientVersion: '1.2.650.0',
    ProcessedClientActions: [{ ActionType: 'SessionType', ActionStatus: 1 }],
  }),
);

/** A hand-driven client that can break every rule, to prove the strict fake notices. */
async function rawClient(
  service: FakeSsmService,
  target: string,
  open: Record<string, unknown> = {},
  mangleUrl: (url: string) => string = (url) => url,
): Promise<{ socket: WebSocket; agent: FakeAgentSession; received: Buffer[] }> {
  const credentials = service.registry.startSession({ Target: target, DocumentName: 'AWS-StartSSHSession' });
  const agent = service.registry.get(credentials.SessionId)!;
  const socket = new WebSocket(mangleUrl(credentials.StreamUrl), { perMessageDeflate: false });
  const received: Buffer[] = [];
  socket.on('message', (data) => received.push(data as Buffer));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    socket.once('open', () => resolve());
    socket.once('close', () => resolve());
  });
  if (socket.readyState === WebSocket.OPEN) {
    socket.send(
      JSON.stringify({
        MessageSchemaVersion: '1.0',
        RequestId: randomUUID(),
        TokenValue: credentials.TokenValue,
        ClientId: randomUUID(),
        ClientVersion: '1.2.650.0',
        ...open,
      }),
    );
  }
  return { socket, agent, received };
}

describe('fake agent strict mode (the oracle of the e2e tests)', () => {
  let service: FakeSsmService;
  let echo: LocalServer;
  let target: string;

  beforeEach(async () => {
    echo = await startEchoServer();
    target = `mi-${echo.port}`;
    service = await startFakeSsmService({
      resolveTarget: (id) => ({ host: '127.0.0.1', port: Number(id.slice(3)) }),
    });
  });

  afterEach(async () => {
    await service.close();
    await echo.close();
  });

  it('records header violations: HeaderLength, CreatedDate, digest, PayloadLength, padding', async () => {
    const { socket, agent } = await rawClient(service, target);
    await until(() => agent.state === 'handshaking', 100_000);
    socket.send(frame({ payloadType: 6, payload: HANDSHAKE_RESPONSE }));
    await until(() => agent.state === 'open', 100_000);
    const badHeaderLength = frame({ sequenceNumber: 1 });
    badHeaderLength.writeUInt32BE(117, 0);
    socket.send(badHeaderLength);
    socket.send(frame({ sequenceNumber: 2, createdDate: 0 }));
    const badDigest = frame({ sequenceNumber: 3 });
    badDigest[90] ^= 1;
    socket.send(badDigest);
    const badLength = frame({ sequenceNumber: 4 });
    badLength.writeUInt32BE(99, 116);
    socket.send(badLength);
    const nulPadded = frame({ sequenceNumber: 5 });
    nulPadded.fill(0, 4 + 'input_stream_data'.length, 36);
    socket.send(nulPadded);
    await until(() => agent.violations.length >= 5, 100_000).catch((error) => {
      throw new Error(`${(error as Error).message}: ${agent.violations.join(' | ')}`);
    });
    const text = agent.violations.join('\n');
    assert.match(text, /HeaderLength 117, expected 116/);
    assert.match(text, /CreatedDate is 0/);
    assert.match(text, /PayloadDigest is not SHA-256/);
    assert.match(text, /PayloadLength 99 but 4 payload bytes/);
    assert.match(text, /not right-padded with spaces/);
    socket.terminate();
  });

  it('records protocol violations: data before HandshakeComplete, a changed retransmit, a bogus ack', async () => {
    const { socket, agent } = await rawClient(service, target);
    await until(() => agent.state === 'handshaking', 100_000);
    socket.send(frame({ sequenceNumber: 0, payload: Buffer.from('too early') }));
    socket.send(frame({ sequenceNumber: 0, payload: Buffer.from('changed') }));
    socket.send(
      encodeClientMessage({
        messageType: 'acknowledge',
        schemaVersion: 1,
        createdDate: Date.now(),
        sequenceNumber: 0,
        flags: 3,
        messageId: randomUUID(),
        payloadType: 0,
        payload: Buffer.from(
          JSON.stringify({
            AcknowledgedMessageType: 'output_stream_data',
            AcknowledgedMessageId: randomUUID(),
            AcknowledgedMessageSequenceNumber: 77,
            IsSequentialMessage: true,
          }),
        ),
      }),
    );
    await until(() => agent.violations.length >= 4, 100_000);
    const text = agent.violations.join('\n');
    assert.match(text, /client seq 0 is not the HandshakeResponse/);
    assert.match(text, /Output \(client seq 0\) before HandshakeComplete/);
    assert.match(text, /seq 0 was sent again with different content/);
    assert.match(text, /ack for seq 77, which the agent never sent/);
    socket.terminate();
  });

  it('records a bad OpenDataChannel frame and a re-encoded StreamUrl', async () => {
    const { socket, agent } = await rawClient(service, target, { ClientVersion: '1.2', ClientId: 'me' });
    await until(() => agent.violations.length >= 2, 100_000);
    assert.match(agent.violations.join('\n'), /ClientVersion is not a 4-part/);
    assert.match(agent.violations.join('\n'), /ClientId is not a lowercase UUID/);
    socket.terminate();
    const reencoded = await rawClient(service, target, {}, (url) =>
      url
        .replace(/\+/g, '%2B')
        .replace(/\//g, (m, offset: number) => (offset > url.indexOf('cell-number') ? '%2F' : m)),
    );
    assert.match(reencoded.agent.violations.join('\n'), /cell-number was altered/);
    assert.notEqual(reencoded.socket.readyState, WebSocket.OPEN, 'the upgrade was refused');
  });

  it('refuses a wrong token', async () => {
    const { socket, agent } = await rawClient(service, target, { TokenValue: 'forged' });
    await new Promise((resolve) => socket.once('close', resolve));
    assert.equal(agent.state, 'waiting');
    assert.equal(agent.connections.length, 0);
  });
});
