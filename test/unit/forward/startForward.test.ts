import { strict as assert } from 'node:assert';
import type { Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { AccessDeniedError } from '../../../src/aws/awsErrors';
import type { ForwardSessionApi, NodeForward } from '../../../src/forward/startForward';
import { startForward } from '../../../src/forward/startForward';
import type { ForwardState } from '../../../src/forward/startForward';
import type { FakeSsmService } from '../../emulator/datachannel/fakeSsmService';
import { startFakeSsmService } from '../../emulator/datachannel/fakeSsmService';
import type { LocalServer } from '../ssm/support/localServers';
import { closedPort, startEchoServer } from '../ssm/support/localServers';
import { eventually } from '../../support/wait';

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

function echoOnce(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(text));
    let got = '';
    socket.on('data', (chunk: Buffer) => {
      got += chunk.toString();
      if (got.length >= text.length) {
        socket.destroy();
        resolve(got);
      }
    });
    socket.once('error', reject);
  });
}

function nextState(forward: NodeForward, wanted: ForwardState): Promise<void> {
  return new Promise((resolve) => {
    if (forward.state === wanted) return resolve();
    const listener = (state: ForwardState): void => {
      if (state !== wanted) return;
      forward.off('state', listener);
      resolve();
    };
    forward.on('state', listener);
  });
}

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * startForward with our real client against the fake service: `mi-<port>` reaches 127.0.0.1:<port>
 * whatever the document's portNumber, so a test picks the "container's" server by its target.
 */
describe('startForward (our client ↔ the fake agent)', function () {
  this.timeout(60_000);
  let service: FakeSsmService;
  let echo: LocalServer;
  const started: NodeForward[] = [];
  const api = (): ForwardSessionApi & { calls: string[] } => {
    const calls: string[] = [];
    return {
      calls,
      startSession: async (request) => {
        calls.push(`StartSession ${request.DocumentName} ${JSON.stringify(request.Parameters)}`);
        return service.registry.startSession(request);
      },
      resumeSession: async (sessionId) => {
        calls.push('ResumeSession');
        const resumed = service.registry.resumeSession({ SessionId: sessionId });
        return { tokenValue: resumed.TokenValue, streamUrl: resumed.StreamUrl };
      },
      terminateSession: async (sessionId) => {
        calls.push('TerminateSession');
        await service.registry.terminateSession({ SessionId: sessionId });
      },
    };
  };

  beforeEach(async () => {
    service = await startFakeSsmService({
      resolveTarget: (target) => ({ host: '127.0.0.1', port: Number(target.replace(/^mi-/, '')) }),
      isTargetOnline: () => true,
    });
    echo = await startEchoServer();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((forward) => forward.stop()));
    const violations = service.registry.violations();
    await service.close();
    await echo.close();
    assert.deepEqual(violations, []);
  });

  const start = async (...args: Parameters<typeof startForward>): Promise<NodeForward> => {
    const forward = await startForward(...args);
    started.push(forward);
    return forward;
  };

  it('listens on the remote port number when it is free locally, with AWS-StartPortForwardingSession', async () => {
    const remotePort = await closedPort();
    const calls = api();
    const forward = await start(calls, { instanceId: `mi-${echo.port}`, where: 'algo-1', remotePort });
    assert.equal(forward.localPort, remotePort);
    assert.deepEqual(calls.calls, [
      `StartSession AWS-StartPortForwardingSession {"portNumber":["${remotePort}"],"localPortNumber":["${remotePort}"]}`,
    ]);
    assert.equal(await echoOnce(forward.localPort, 'hello'), 'hello');
  });

  it('picks any free local port when the remote port number is taken here', async () => {
    // The echo server holds echo.port locally, so a forward to remote port echo.port cannot use it.
    const forward = await start(api(), {
      instanceId: `mi-${echo.port}`,
      where: 'algo-1',
      remotePort: echo.port,
    });
    assert.notEqual(forward.localPort, echo.port);
    assert.equal(await echoOnce(forward.localPort, 'ping'), 'ping');
  });

  it('refuses an explicit local port that is in use, offering a free one, before starting a session', async () => {
    const calls = api();
    await assert.rejects(
      start(calls, {
        instanceId: `mi-${echo.port}`,
        where: 'algo-1',
        remotePort: 8888,
        localPort: echo.port,
      }),
      (error: { code?: string; port?: number; suggestion?: number }) => {
        assert.equal(error.code, 'LocalPortInUse');
        assert.equal(error.port, echo.port);
        assert.ok(error.suggestion && error.suggestion !== echo.port);
        return true;
      },
    );
    assert.deepEqual(calls.calls, []);
  });

  it('terminates the session when the port is taken between the check and the listen', async () => {
    const port = await closedPort();
    const calls = api();
    let squatter: Server | undefined;
    const racing: ForwardSessionApi = {
      ...calls,
      startSession: async (request) => {
        squatter = await listenOn(port);
        return calls.startSession(request);
      },
    };
    try {
      await assert.rejects(
        start(racing, { instanceId: `mi-${echo.port}`, where: 'algo-1', remotePort: 1234, localPort: port }),
        { code: 'LocalPortInUse' },
      );
      // Terminated: by the TerminateSession flag (this agent understands it) or the API call.
      const sessionId = service.registry.all()[0]!.sessionId;
      await eventually(() => service.registry.get(sessionId)!.state === 'closed', 'the session to close');
    } finally {
      await new Promise((resolve) => squatter?.close(resolve));
    }
  });

  it('names ssm:StartSession and the document when StartSession is denied', async () => {
    const denied: ForwardSessionApi = {
      ...api(),
      startSession: async () => {
        throw new AccessDeniedError('ssm:StartSession', 'User: x is not authorized', undefined);
      },
    };
    await assert.rejects(
      start(denied, { instanceId: 'mi-0123456789abcdef0', where: 'algo-1', remotePort: 8888 }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'PortForwardDenied');
        assert.match(error.message, /ssm:StartSession/);
        assert.match(error.message, /document\/AWS-StartPortForwardingSession/);
        return true;
      },
    );
  });

  it('reports nothingListens when the container refuses the connection, and clears it on the next connection', async () => {
    const refused = await closedPort();
    const forward = await start(api(), {
      instanceId: `mi-${refused}`,
      where: 'algo-2 of job',
      remotePort: 6006,
    });
    const failed = nextState(forward, 'nothingListens');
    const socket = await dial(forward.localPort);
    await failed;
    assert.equal(forward.problem?.code, 'NothingListens');
    assert.match(forward.problem!.message, /port 6006 in algo-2 of job/);
    socket.destroy();
    const cleared = nextState(forward, 'active');
    const again = await dial(forward.localPort);
    await cleared;
    again.destroy();
  });

  it('resumes a dropped data channel and keeps forwarding', async () => {
    const calls = api();
    const forward = await start(calls, { instanceId: `mi-${echo.port}`, where: 'algo-1', remotePort: 1 });
    assert.equal(await echoOnce(forward.localPort, 'before'), 'before');
    const reconnecting = nextState(forward, 'reconnecting');
    service.registry.get(forward.sessionId)!.disconnectClient('terminate');
    await reconnecting;
    await nextState(forward, 'active');
    assert.equal(await echoOnce(forward.localPort, 'after'), 'after');
    assert.ok(calls.calls.includes('ResumeSession'), calls.calls.join(', '));
  });

  it('resumes after a dead path (a laptop that slept: no pongs, no close) and keeps forwarding', async () => {
    const calls = api();
    const forward = await start(
      calls,
      { instanceId: `mi-${echo.port}`, where: 'algo-1', remotePort: 1 },
      { tuning: { keepaliveIntervalMs: 50, maxMissedPongs: 2 } },
    );
    assert.equal(await echoOnce(forward.localPort, 'before'), 'before');
    const reconnecting = nextState(forward, 'reconnecting');
    service.registry.get(forward.sessionId)!.disconnectClient('silent');
    await reconnecting;
    await nextState(forward, 'active');
    assert.equal(await echoOnce(forward.localPort, 'after sleep'), 'after sleep');
    assert.ok(calls.calls.includes('ResumeSession'), calls.calls.join(', '));
  });

  it('terminates the session on the service when its handshake never completes', async () => {
    const withholding = await startFakeSsmService({
      resolveTarget: () => ({ host: '127.0.0.1', port: echo.port }),
      isTargetOnline: () => true,
      behaviour: { withholdHandshakeComplete: true },
    });
    const calls: string[] = [];
    try {
      await assert.rejects(
        startForward(
          {
            startSession: async (request) => withholding.registry.startSession(request),
            resumeSession: async () => assert.fail('nothing to resume'),
            terminateSession: async (sessionId) => {
              calls.push('TerminateSession');
              await withholding.registry.terminateSession({ SessionId: sessionId });
            },
          },
          { instanceId: 'mi-1', where: 'algo-1', remotePort: 1, localPort: 0 },
          { tuning: { handshakeTimeoutMs: 200 } },
        ),
        { code: 'HandshakeTimeout' },
      );
      assert.deepEqual(calls, ['TerminateSession']);
    } finally {
      await withholding.close();
    }
  });

  it('stop() frees the port and terminates the session on the service', async () => {
    const calls = api();
    const forward = await startForward(calls, {
      instanceId: `mi-${echo.port}`,
      where: 'algo-1',
      remotePort: 1,
    });
    const end = await forward.stop();
    assert.notEqual(end.kind, 'failed');
    await eventually(
      () => service.registry.get(forward.sessionId)!.state === 'closed',
      'the session to close',
    );
    const server = await listenOn(forward.localPort);
    assert.equal((server.address() as AddressInfo).port, forward.localPort);
    await new Promise((resolve) => server.close(resolve));
  });
});
