import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { encodeHandshakeRequestForTest } from './support/handshakeFrames';
import { PipedShellFilter, pipedShellPreamble, runPipedShell } from '../../../src/ssm/pipedShell';
import { PayloadType } from '../../../src/ssm/protocolConstants';
import { HandshakeRefusedError } from '../../../src/ssm/sessionErrors';
import { NotAShellSessionError } from '../../../src/ssm/sessionErrors';
import { ShellChannel } from '../../../src/ssm/shellChannel';
import { encodeSizePayload, parseExitCodePayload } from '../../../src/ssm/shellPayloads';
import type { SsmSession } from '../../../src/ssm/ssmSession';
import { openSession } from '../../../src/ssm/ssmSession';
import type { SessionKind } from '../../../src/ssm/sessionOptions';
import { ShellAgentStub } from './support/shellAgentStub';

const text = (buffers: readonly { payload: Buffer }[]): string =>
  buffers.map((m) => m.payload.toString('utf8')).join('');

describe('shell sessions (Standard_Stream) in our client', function () {
  this.timeout(20_000);
  let agent: ShellAgentStub;
  let terminated: number;

  beforeEach(async () => {
    agent = await ShellAgentStub.start();
    terminated = 0;
  });
  afterEach(async () => agent.close());

  /** Opens a session; `prompt` is what the agent sends once the client connected (no handshake). */
  async function open(kind: SessionKind, first: (stub: ShellAgentStub) => void): Promise<SsmSession> {
    void agent.connected.then(() => first(agent));
    return openSession({
      sessionId: 's-stub',
      streamUrl: agent.url,
      tokenValue: 'token',
      kind,
      terminate: async () => void (terminated += 1),
      tuning: { handshakeTimeoutMs: 5_000, drainTimeoutMs: 500 },
    });
  }

  it('starts without a handshake when the agent speaks first, as the standardstream plugin does', async () => {
    const session = await open('shell', (stub) => stub.send(PayloadType.Output, 'sh-5.2$ '));
    assert.equal(session.mode, 'shell');
    assert.equal(session.sessionType, 'Standard_Stream');
    const output: Buffer[] = [];
    const shell = new ShellChannel(
      session,
      { write: (chunk) => output.push(chunk) },
      { cols: 120, rows: 40 },
    );
    assert.equal(Buffer.concat(output).toString(), 'sh-5.2$ ', 'output before the channel existed is kept');
    shell.input('hostname\r');
    shell.resize({ cols: 120, rows: 40 });
    shell.resize({ cols: 100, rows: 30 });
    await agent.until(() => agent.received.length >= 3);
    assert.deepEqual(
      agent.received.map((m) => m.payloadType),
      [PayloadType.Size, PayloadType.Output, PayloadType.Size],
      'size first, then keys; an unchanged size is not sent again',
    );
    assert.deepEqual(JSON.parse(agent.inputs(PayloadType.Size)[0]!.payload.toString()), {
      cols: 120,
      rows: 40,
    });
    assert.deepEqual(JSON.parse(agent.inputs(PayloadType.Size)[1]!.payload.toString()), {
      cols: 100,
      rows: 30,
    });
    assert.equal(text(agent.inputs(PayloadType.Output)), 'hostname\r');
    agent.send(PayloadType.Output, 'algo-1\r\n');
    agent.closeChannel();
    const end = await shell.ended;
    assert.equal(end.kind, 'channel-closed');
    assert.equal(end.exitCode, undefined, 'an interactive shell reports no exit code');
    assert.equal(Buffer.concat(output).toString(), 'sh-5.2$ algo-1\r\n');
  });

  it('accepts a shell-type handshake (NonInteractiveCommands) and takes its StdErr and ExitCode payloads', async () => {
    const session = await open('shell', (stub) => {
      stub.send(PayloadType.HandshakeRequest, encodeHandshakeRequestForTest('NonInteractiveCommands'));
      stub.send(
        PayloadType.HandshakeComplete,
        JSON.stringify({ HandshakeTimeToComplete: 1, CustomerMessage: '' }),
      );
    });
    assert.equal(session.mode, 'shell');
    assert.equal(session.sessionType, 'NonInteractiveCommands');
    const errors: Buffer[] = [];
    const shell = new ShellChannel(session, { write: () => undefined, writeStderr: (c) => errors.push(c) });
    agent.send(PayloadType.StdErr, 'oops\n');
    agent.send(PayloadType.ExitCode, 'EXIT_CODE: 3');
    agent.closeChannel();
    const end = await shell.ended;
    assert.equal(end.exitCode, 3);
    assert.equal(Buffer.concat(errors).toString(), 'oops\n');
  });

  it('a port session refuses a shell handshake, and a shell session refuses a Port one', async () => {
    await assert.rejects(
      open('port', (stub) =>
        stub.send(PayloadType.HandshakeRequest, encodeHandshakeRequestForTest('Standard_Stream')),
      ),
      (error: unknown) => error instanceof HandshakeRefusedError && error.code === 'HandshakeRefused',
    );
    await agent.close();
    agent = await ShellAgentStub.start();
    await assert.rejects(
      open('shell', (stub) => stub.send(PayloadType.HandshakeRequest, encodeHandshakeRequestForTest('Port'))),
      (error: unknown) => error instanceof HandshakeRefusedError,
    );
  });

  it('a port session that gets shell output without a handshake fails at once, not after the handshake timeout', async () => {
    await assert.rejects(
      open('port', (stub) => stub.send(PayloadType.Output, '$ ')),
      (error: unknown) => error instanceof HandshakeRefusedError && /shell session/.test(error.message),
    );
  });

  it('a Port-type session cannot become a ShellChannel', async () => {
    const session = await open('port', (stub) => {
      stub.send(PayloadType.HandshakeRequest, encodeHandshakeRequestForTest('Port'));
      stub.send(
        PayloadType.HandshakeComplete,
        JSON.stringify({ HandshakeTimeToComplete: 1, CustomerMessage: '' }),
      );
    });
    assert.throws(
      () => new ShellChannel(session, { write: () => undefined }),
      (error: unknown) => error instanceof NotAShellSessionError && error.code === 'NotAShellSession',
    );
    session.close();
  });

  it('terminate() ends the session on the service', async () => {
    const session = await open('shell', (stub) => stub.send(PayloadType.Output, '$ '));
    const shell = new ShellChannel(session, { write: () => undefined });
    await shell.terminate();
    assert.equal((await shell.ended).kind, 'closed-locally');
    assert.equal(terminated, 1);
  });

  it('piped: the preamble goes first, stdin only after the ready marker, exit status from the trap', async () => {
    const session = await open('shell', (stub) => stub.send(PayloadType.Output, '$ '));
    const input = new PassThrough();
    const output = new PassThrough();
    const printed: Buffer[] = [];
    output.on('data', (chunk: Buffer) => printed.push(chunk));
    input.end('hostname\nexit 3');
    const run = runPipedShell(session, input, output, 'abc123');
    await agent.until(() => agent.inputs(PayloadType.Output).length >= 1);
    assert.equal(text(agent.inputs(PayloadType.Output)), pipedShellPreamble('abc123'));
    // The pty echoes the preamble (no marker bytes in it), then the marker, then the output.
    agent.send(PayloadType.Output, `${pipedShellPreamble('abc123')}\x1eabc1`);
    agent.send(PayloadType.Output, '23:ready\x1ealgo-1\n\x1eabc123:ex');
    await agent.until(() => text(agent.inputs(PayloadType.Output)).endsWith('exit\n'));
    assert.equal(
      text(agent.inputs(PayloadType.Output)),
      `${pipedShellPreamble('abc123')}hostname\nexit 3\nexit\n`,
      'input after the marker; an input without a final newline gets one before the exit',
    );
    agent.send(PayloadType.Output, 'it:3\x1e');
    agent.closeChannel();
    const result = await run;
    assert.equal(result.exitCode, 3);
    assert.equal(Buffer.concat(printed).toString(), 'algo-1\n');
  });

  it('piped: a shell that ends before taking the first line reports what it printed', async () => {
    const session = await open('shell', (stub) =>
      stub.send(PayloadType.Output, 'Unable to start command: no sh\r\n'),
    );
    const input = new PassThrough();
    const output = new PassThrough();
    input.end('hostname\n');
    const run = runPipedShell(session, input, output, 'abc123');
    await agent.until(() => agent.inputs(PayloadType.Output).length >= 1);
    agent.closeChannel();
    const result = await run;
    assert.equal(result.exitCode, undefined);
    assert.equal(result.unstartedOutput, 'Unable to start command: no sh\r\n');
    assert.equal(output.read(), null, 'nothing on stdout');
    assert.equal(
      text(agent.inputs(PayloadType.Output)),
      pipedShellPreamble('abc123'),
      'stdin was never sent',
    );
  });
});

describe('shell payloads and the piped-shell filter', () => {
  it('encodes sizes as the agent unmarshals them (uint32 cols/rows)', () => {
    assert.equal(encodeSizePayload(80, 24).toString(), '{"cols":80,"rows":24}');
    assert.equal(encodeSizePayload(0, Number.NaN).toString(), '{"cols":1,"rows":1}');
  });

  it('reads the agent\'s "EXIT_CODE: n" text', () => {
    assert.equal(parseExitCodePayload(Buffer.from('EXIT_CODE: 0')), 0);
    assert.equal(parseExitCodePayload(Buffer.from('EXIT_CODE: 127')), 127);
    assert.equal(parseExitCodePayload(Buffer.from('garbage')), undefined);
  });

  it('passes a lone record separator through when it is not our marker', () => {
    const out: string[] = [];
    const filter = new PipedShellFilter('n1', (chunk) => out.push(chunk.toString('latin1')));
    filter.push(Buffer.from('junk\x1en1:ready\x1e'));
    filter.push(Buffer.from('a\x1eb\x1e'));
    filter.push(Buffer.from('c\x1en1:e'));
    filter.flush();
    assert.equal(out.join(''), 'a\x1eb\x1ec\x1en1:e');
    assert.equal(filter.exitCode, undefined);
  });
});
