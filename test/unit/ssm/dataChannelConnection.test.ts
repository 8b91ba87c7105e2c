import { strict as assert } from 'node:assert';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { DataChannelConnection } from '../../../src/ssm/dataChannelConnection';
import { connectDataChannel } from '../../../src/ssm/dataChannelConnection';
import { silentLogger } from '../../../src/util/logger';
import { eventually } from '../../support/wait';
import { ManualClock } from './support/manualClock';

/** A WebSocket server on 127.0.0.1 that hands us its side of the one connection it accepts. */
async function startServer(): Promise<{
  url: string;
  peer: Promise<WebSocket>;
  /** Resolves when the client's first keepalive ping arrived (ws answers it with a pong at once). */
  pinged: Promise<void>;
  close: () => Promise<void>;
}> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  let markPinged = (): void => undefined;
  const pinged = new Promise<void>((resolve) => (markPinged = resolve));
  const peer = new Promise<WebSocket>((resolve) =>
    server.once('connection', (socket) => {
      socket.once('ping', () => markPinged());
      resolve(socket);
    }),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/v1/data-channel/s-1`,
    peer,
    pinged,
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

async function connect(
  url: string,
  frames: Buffer[],
  readCoalesceMs?: number,
  clock?: ManualClock,
  mayHoldReads?: () => boolean,
  readCoalesceWhileStreaming?: boolean,
  sustained?: { holdMs: number; afterMs: number; mayHoldLong?: () => boolean },
): Promise<DataChannelConnection> {
  return connectDataChannel({
    url,
    tokenValue: 'token',
    clientId: 'client',
    clientVersion: '1.2.650.0',
    onFrame: (frame) => frames.push(frame),
    log: silentLogger,
    connectTimeoutMs: 10_000,
    keepaliveIntervalMs: 60_000,
    maxMissedPongs: 2,
    readCoalesceMs,
    clock,
    mayHoldReads,
    readCoalesceWhileStreaming,
    readCoalesceSustainedMs: sustained?.holdMs,
    readCoalesceSustainedAfterMs: sustained?.afterMs,
    mayHoldReadsLong: sustained?.mayHoldLong,
  });
}

/**
 * Lets the event-loop turn in which a hold ended pass: its reads are what the hold left in the kernel,
 * never held. A frame sent after this comes in a read of its own.
 */
function theTurnAfterAHold(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A long hold of 40 ms lasts 40 ± 5 (a quarter step of the shared grid, half either way) and ends on the grid. */
function assertLongHold(heldMs: number, clock: ManualClock, message: string): void {
  assert.ok(heldMs >= 35 && heldMs <= 45, `${message}: held ${heldMs} ms`);
  assert.equal(clock.now() % 10, 0, `${message}: ends on the 10 ms grid`);
}

/** A connection (readCoalesceMs 5, manual clock) whose first frame arrived and started a hold. */
async function connectAndHoldFirst(): Promise<{
  server: Awaited<ReturnType<typeof startServer>>;
  frames: Buffer[];
  clock: ManualClock;
  connection: DataChannelConnection;
  peer: WebSocket;
}> {
  const server = await startServer();
  const frames: Buffer[] = [];
  const clock = new ManualClock();
  const connection = await connect(server.url, frames, 5, clock);
  const peer = await server.peer;
  peer.send(Buffer.from('first'));
  await eventually(() => frames.length === 1, 'the first frame');
  assert.equal(connection.isHoldingReads, true);
  return { server, frames, clock, connection, peer };
}

describe('ssm data channel connection', () => {
  it('with readCoalesceMs, holds reads back after a small one and still delivers every frame in order', async () => {
    const { server, frames, clock, connection, peer } = await connectAndHoldFirst();
    try {
      for (let i = 0; i < 20; i += 1) peer.send(Buffer.from(`frame ${i}`));
      await new Promise<void>((resolve) => peer.send(Buffer.alloc(0), () => resolve()));
      // Each small read holds the next back until the clock moves on.
      await eventually(() => {
        clock.advance(5);
        return frames.length === 22;
      }, 'all frames');
      assert.deepEqual(
        frames.slice(1, 21).map((frame) => frame.toString()),
        Array.from({ length: 20 }, (_, i) => `frame ${i}`),
      );
    } finally {
      connection.close();
      await server.close();
    }
  });

  it('after a hold, delivers every chunk that arrived during it before holding again', async () => {
    const { server, frames, clock, connection, peer } = await connectAndHoldFirst();
    try {
      // Sent apart: a socket that read on while paused would buffer them as separate chunks; ours leaves
      // them in the kernel until the hold ends.
      for (let i = 0; i < 10; i += 1) {
        await new Promise<void>((resolve) => peer.send(Buffer.from(`frame ${i}`), () => resolve()));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      assert.equal(frames.length, 1, 'nothing is read while the hold lasts');
      clock.advance(5);
      await eventually(() => frames.length === 11, 'every frame buffered during the hold, after one hold');
    } finally {
      connection.close();
      await server.close();
    }
  });

  it('with readCoalesceMs, does not hold reads back while mayHoldReads says no (an upload waiting for acks)', async () => {
    const server = await startServer();
    const frames: Buffer[] = [];
    let uploading = true;
    const connection = await connect(server.url, frames, 5, new ManualClock(), () => !uploading);
    try {
      const peer = await server.peer;
      peer.send(Buffer.from('ack'));
      await eventually(() => frames.length === 1, 'the first frame');
      assert.equal(connection.isHoldingReads, false);
      uploading = false;
      peer.send(Buffer.from('data'));
      await eventually(() => frames.length === 2, 'the second frame');
      assert.equal(connection.isHoldingReads, true);
    } finally {
      connection.close();
      await server.close();
    }
  });

  it('with readCoalesceWhileStreaming, holds only a read that follows another within readCoalesceMs', async () => {
    const server = await startServer();
    const frames: Buffer[] = [];
    const clock = new ManualClock();
    const connection = await connect(server.url, frames, 5, clock, undefined, true);
    try {
      const peer = await server.peer;
      // The pong that answers the connection's first ping is a read too: let it land before a pause.
      await server.pinged;
      peer.send(Buffer.from('after the pong'));
      await eventually(() => frames.length === 1, 'the frame after the pong');
      clock.advance(100);
      peer.send(Buffer.from('keystroke echo'));
      await eventually(() => frames.length === 2, 'the keystroke echo');
      assert.equal(connection.isHoldingReads, false, 'a lone read is not held');
      peer.send(Buffer.from('streamed'));
      await eventually(() => frames.length === 3, 'the streamed frame');
      assert.equal(connection.isHoldingReads, true, 'a read right after another is held');
      // The timer fires at 5 ms; the held bytes are read a little later, more than 5 ms after the
      // read before the hold.
      clock.advance(5);
      await eventually(() => !connection.isHoldingReads, 'the hold to end');
      await theTurnAfterAHold();
      clock.advance(1);
      peer.send(Buffer.from('right after the hold'));
      await eventually(() => frames.length === 4, 'the frame right after the hold');
      assert.equal(connection.isHoldingReads, true, 'the read that follows a hold is held again');
      clock.advance(5);
      await eventually(() => !connection.isHoldingReads, 'the second hold to end');
      clock.advance(100);
      peer.send(Buffer.from('after a pause'));
      await eventually(() => frames.length === 5, 'the frame after a pause');
      assert.equal(connection.isHoldingReads, false, 'a read after a pause is not held');
    } finally {
      connection.close();
      await server.close();
    }
  });

  it('with readCoalesceSustainedMs, holds longer once the agent has streamed that long without a pause, and short again after a pause', async () => {
    const server = await startServer();
    const frames: Buffer[] = [];
    const clock = new ManualClock();
    let uploading = false;
    const connection = await connect(server.url, frames, 5, clock, undefined, true, {
      holdMs: 40,
      afterMs: 10,
      mayHoldLong: () => !uploading,
    });
    try {
      const peer = await server.peer;
      await server.pinged;
      /** Sends a frame; resolves once it arrived and says whether a hold started, and how long it lasts. */
      const sendAndMeasureHold = async (text: string): Promise<number> => {
        const before = frames.length;
        peer.send(Buffer.from(text));
        await eventually(() => frames.length === before + 1, text);
        let held = 0;
        while (connection.isHoldingReads) {
          clock.advance(1);
          held += 1;
        }
        await theTurnAfterAHold();
        return held;
      };
      clock.advance(100);
      assert.equal(await sendAndMeasureHold('start'), 0, 'the first read after a pause is not held');
      clock.advance(1);
      assert.equal(await sendAndMeasureHold('streamed'), 5, 'streaming: the short hold');
      assert.equal(await sendAndMeasureHold('streamed'), 5, 'still short: 6 ms into the stream');
      assertLongHold(await sendAndMeasureHold('streamed'), clock, '11 ms into the stream: the long hold');
      assertLongHold(await sendAndMeasureHold('streamed'), clock, 'the stream goes on: long again');
      uploading = true;
      assert.equal(
        await sendAndMeasureHold('streamed'),
        5,
        'while uploading: short, the acks free its window',
      );
      uploading = false;
      clock.advance(100);
      assert.equal(await sendAndMeasureHold('after a pause'), 0, 'a pause ends the stream');
      clock.advance(1);
      assert.equal(await sendAndMeasureHold('streamed'), 5, 'a new stream starts with the short hold');
    } finally {
      connection.close();
      await server.close();
    }
  });

  it('ends the long holds of connections streaming at once on the same tick (one wake-up for all)', async () => {
    const clock = new ManualClock();
    interface Link {
      server: Awaited<ReturnType<typeof startServer>>;
      frames: Buffer[];
      connection: DataChannelConnection;
      peer: WebSocket;
    }
    const links: Link[] = [];
    for (let index = 0; index < 2; index += 1) {
      const server = await startServer();
      const frames: Buffer[] = [];
      const connection = await connect(server.url, frames, 5, clock, undefined, true, {
        holdMs: 40,
        afterMs: 10,
      });
      links.push({ server, frames, connection, peer: await server.peer });
    }
    const [first, second] = links as [Link, Link];
    const sendAndWait = async (link: Link): Promise<void> => {
      const before = link.frames.length;
      link.peer.send(Buffer.from('streamed'));
      await eventually(() => link.frames.length === before + 1, 'the frame');
    };
    /** Both get a frame; the clock then runs until neither holds (their short holds end together). */
    const streamBoth = async (): Promise<void> => {
      await sendAndWait(first);
      await sendAndWait(second);
      while (links.some((link) => link.connection.isHoldingReads)) clock.advance(1);
      await theTurnAfterAHold();
    };
    try {
      await Promise.all(links.map((link) => link.server.pinged));
      // Whenever each keepalive's pong was read, a pause then starts both streams afresh.
      await streamBoth();
      clock.advance(100);
      await streamBoth(); // t=100: the stream starts, no hold
      clock.advance(1);
      await streamBoth(); // t=101: short holds, to 106
      await streamBoth(); // t=106: short holds, to 111
      await sendAndWait(first); // t=111: 11 ms into the stream, a long hold
      clock.advance(3);
      await sendAndWait(second); // t=114: its long hold starts 3 ms later
      assert.ok(first.connection.isHoldingReads && second.connection.isHoldingReads, 'both hold');
      let heldMs = 0;
      while (first.connection.isHoldingReads || second.connection.isHoldingReads) {
        clock.advance(1);
        heldMs += 1;
        assert.equal(
          first.connection.isHoldingReads,
          second.connection.isHoldingReads,
          `one hold ended alone, ${heldMs} ms after the second began`,
        );
        assert.ok(heldMs < 60, 'the holds end');
      }
      assert.equal(clock.now() % 10, 0, 'on the 10 ms grid');
    } finally {
      for (const link of links) {
        link.connection.close();
        await link.server.close();
      }
    }
  });

  it('without readCoalesceMs, never holds reads back', async () => {
    const server = await startServer();
    const frames: Buffer[] = [];
    const connection = await connect(server.url, frames);
    try {
      const peer = await server.peer;
      peer.send(Buffer.from('first'));
      await eventually(() => frames.length === 1, 'the first frame');
      assert.equal(connection.isHoldingReads, false);
    } finally {
      connection.close();
      await server.close();
    }
  });

  it('a connection closed while holding reads leaves no timer behind', async () => {
    const { server, clock, connection } = await connectAndHoldFirst();
    connection.close();
    assert.equal(connection.isHoldingReads, false);
    assert.equal(clock.pendingTimers, 0);
    assert.equal((await connection.ended).reason, 'local-close');
    await server.close();
  });

  it("reads the service's frames itself: every length form in order, and its ping answered with the same payload", async () => {
    const server = await startServer();
    const frames: Buffer[] = [];
    const connection = await connect(server.url, frames);
    const peer = await server.peer;
    const sent = [1, 125, 126, 1200, 65_536, 70_000].map((n) => Buffer.alloc(n, n % 251));
    const pong = new Promise<Buffer>((resolve) => peer.once('pong', resolve));
    for (const frame of sent) peer.send(frame);
    peer.ping(Buffer.from('are you there'));
    assert.equal((await pong).toString(), 'are you there');
    await eventually(() => frames.length === sent.length, 'every frame');
    assert.deepEqual(frames, sent);
    connection.close();
    await server.close();
  });

  it('delivers nothing that follows in the same read once the connection was closed', async () => {
    const server = await startServer();
    const frames: Buffer[] = [];
    const connection: DataChannelConnection = await connectDataChannel({
      url: server.url,
      tokenValue: 'token',
      clientId: 'client',
      clientVersion: '1.2.650.0',
      onFrame: (frame) => {
        frames.push(frame);
        connection.close();
      },
      log: silentLogger,
      connectTimeoutMs: 10_000,
      keepaliveIntervalMs: 60_000,
      maxMissedPongs: 2,
    });
    const peer = await server.peer;
    // Two unmasked binary frames in one write of the server's socket, so they arrive in one read.
    const frame = (text: string): Buffer =>
      Buffer.concat([Buffer.from([0x82, text.length]), Buffer.from(text)]);
    (peer as unknown as { _socket: { write(data: Buffer): void } })._socket.write(
      Buffer.concat([frame('first'), frame('second')]),
    );
    assert.equal((await connection.ended).reason, 'local-close');
    assert.deepEqual(frames.map(String), ['first']);
    await server.close();
  });

  it("ends as peer-closed with the service's close code and reason", async () => {
    const server = await startServer();
    const connection = await connect(server.url, []);
    (await server.peer).close(4001, 'session terminated');
    assert.deepEqual(await connection.ended, {
      reason: 'peer-closed',
      code: 4001,
      detail: 'session terminated',
    });
    await server.close();
  });
});
