import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { FlagCode } from '../../../src/ssm/protocolConstants';
import { AgentSmuxServer } from '../../emulator/datachannel/agentSmuxServer';
import { startPortForward } from '../../../src/ssm/portForward';
import { useFakeWorld } from './support/fakeWorld';
import { closedPort, startGreetingServer } from './support/localServers';
import { until } from '../../support/wait';

const FORWARD = {
  document: 'AWS-StartPortForwardingSession',
  parameters: { portNumber: ['80'], localPortNumber: ['0'] },
};

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `data` and resolves with everything read until the peer closes or `expected` bytes arrived. */
function exchange(socket: Socket, data: Buffer, expected = data.length): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (): void => resolve(Buffer.concat(chunks));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= expected && expected > 0) finish();
    });
    socket.once('close', finish);
    if (data.length > 0) socket.write(data);
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

describe('ssm port forwarding against the fake agent', function () {
  this.timeout(60_000);
  const fixture = useFakeWorld();

  it('multiplexes many concurrent local connections over smux', async () => {
    const { session, agent } = await fixture.world.open({ target: `mi-${fixture.echo.port}`, ...FORWARD });
    assert.equal(session.mode, 'mux');
    const forward = await startPortForward(session);
    assert.equal(forward.host, '127.0.0.1');
    const payloads = Array.from({ length: 12 }, () => randomBytes(80_000));
    const sockets = await Promise.all(payloads.map(() => dial(forward.port)));
    const echoed = await Promise.all(sockets.map((socket, i) => exchange(socket, payloads[i])));
    echoed.forEach((bytes, i) => assert.deepEqual(bytes, payloads[i]));
    const smux = agent.bridge as AgentSmuxServer;
    assert.ok(smux instanceof AgentSmuxServer);
    assert.equal(smux.openedStreamIds.length, 12);
    assert.equal(smux.nopCount, 0, 'no keepalive for a recent agent');
    sockets[0].destroy();
    await until(() => smux.streamCount === 11);
    const again = await exchange(sockets[1], Buffer.from('still here'));
    assert.equal(again.toString(), 'still here');
    for (const socket of sockets) socket.destroy();
    await forward.close();
  });

  it('reports ConnectToPortError, closes that connection and keeps listening', async () => {
    const refused = await closedPort();
    const { session } = await fixture.world.open({ target: `mi-${refused}`, ...FORWARD });
    const flags: number[] = [];
    session.on('flag', (flag) => flags.push(flag));
    const forward = await startPortForward(session);
    const first = await dial(forward.port);
    assert.deepEqual(await exchange(first, Buffer.from('GET / HTTP/1.0\r\n\r\n'), 0), Buffer.alloc(0));
    await closed(first);
    assert.deepEqual(flags, [FlagCode.ConnectToPortError]);
    const second = await dial(forward.port);
    await closed(second);
    assert.deepEqual(flags, [FlagCode.ConnectToPortError, FlagCode.ConnectToPortError]);
    assert.equal(session.isOpen, true);
    await forward.close();
  });

  it('sends smux NOPs to old agents that expect keepalive', async () => {
    const { session, agent } = await fixture.world.open(
      { target: `mi-${fixture.echo.port}`, ...FORWARD },
      { behaviour: { agentVersion: '3.1.1000.0', enforceSmuxKeepaliveMs: 400 } },
    );
    const forward = await startPortForward(session, { smuxKeepaliveIntervalMs: 50 });
    const smux = agent.bridge as AgentSmuxServer;
    await until(() => smux.nopCount >= 3, 1_000_000);
    const socket = await dial(forward.port);
    assert.equal((await exchange(socket, Buffer.from('ping'))).toString(), 'ping');
    socket.destroy();
    assert.equal(agent.state, 'open');
    await forward.close();
  });

  it('uses basic mode with old agents: one connection at a time, DisconnectToPort on close', async () => {
    const { session, agent } = await fixture.world.open(
      { target: `mi-${fixture.echo.port}`, ...FORWARD },
      { behaviour: { agentVersion: '3.0.100.0' } },
    );
    assert.equal(session.mode, 'basic');
    const forward = await startPortForward(session);
    assert.equal(forward.mode, 'basic');
    const first = await dial(forward.port);
    assert.equal((await exchange(first, Buffer.from('one'))).toString(), 'one');
    const second = await dial(forward.port);
    first.destroy();
    assert.equal((await exchange(second, Buffer.from('two'))).toString(), 'two');
    assert.deepEqual(agent.flagsReceived, [FlagCode.DisconnectToPort]);
    second.destroy();
    await forward.close();
  });

  it('does not acknowledge data in basic mode until a local connection exists', async () => {
    const greeter = await startGreetingServer('banner\n');
    try {
      const { session, agent } = await fixture.world.open(
        { target: `mi-${greeter.port}`, ...FORWARD },
        { behaviour: { agentVersion: '3.0.100.0' } },
      );
      const forward = await startPortForward(session);
      await until(() => agent.reliability.stats.retransmitted >= 1, 1_000_000);
      assert.ok(agent.reliability.inFlight >= 1, 'the banner is still unacknowledged');
      const socket = await dial(forward.port);
      assert.equal((await exchange(socket, Buffer.alloc(0), 7)).toString(), 'banner\n');
      socket.destroy();
      await forward.close();
    } finally {
      await greeter.close();
    }
  });

  it('binds 127.0.0.1 and announces the port the way tools expect', async () => {
    const { session } = await fixture.world.open({ target: `mi-${fixture.echo.port}`, ...FORWARD });
    const lines: string[] = [];
    const forward = await startPortForward(session, { announce: (line) => lines.push(line) });
    assert.deepEqual(lines, [`Port ${forward.port} opened for sessionId ${session.sessionId}.`]);
    assert.equal(forward.host, '127.0.0.1');
    await forward.close();
  });
});
