import * as assert from 'node:assert/strict';
import type { AddressInfo, Socket } from 'node:net';
import { createServer } from 'node:net';
import {
  attachConfiguration,
  installedPythonDebugger,
  remoteRootOf,
} from '../../../src/debug/debugConfiguration';
import { DebuggerNotAnsweringError, NoPythonDebuggerError } from '../../../src/debug/debugErrors';
import { dapInitializeRequest, probeForward } from '../../../src/debug/probeDebugger';

describe('Attach Python Debugger: the configuration', () => {
  it("attaches debugpy to the forward's local port with the code folder mapped", () => {
    assert.deepEqual(
      attachConfiguration({
        where: 'algo-2 of my-job',
        localPort: 50123,
        localRoot: '/home/me/project',
        remoteRoot: '/opt/ml/code',
      }),
      {
        type: 'debugpy',
        request: 'attach',
        name: 'SageMaker: algo-2 of my-job',
        connect: { host: '127.0.0.1', port: 50123 },
        pathMappings: [{ localRoot: '/home/me/project', remoteRoot: '/opt/ml/code' }],
        justMyCode: false,
      },
    );
  });

  it('takes the remote root from the setting, else /opt/ml/code', () => {
    assert.equal(remoteRootOf('/opt/ml/code/src/'), '/opt/ml/code/src');
    assert.equal(remoteRootOf(' /workspace '), '/workspace');
    assert.equal(remoteRootOf('/'), '/');
    assert.equal(remoteRootOf(''), '/opt/ml/code');
    assert.equal(remoteRootOf('relative/path'), '/opt/ml/code');
    assert.equal(remoteRootOf(undefined), '/opt/ml/code');
  });
});

describe('Attach Python Debugger: is a Python debugger installed', () => {
  const extension = (id: string, contributes: unknown): { id: string; packageJSON: unknown } => ({
    id,
    packageJSON: { name: id, contributes },
  });

  it('finds the extension contributing the debugpy or the older python debug type', () => {
    assert.equal(
      installedPythonDebugger([
        extension('ms-vscode.js-debug', { debuggers: [{ type: 'pwa-node' }] }),
        extension('ms-python.debugpy', { debuggers: [{ type: 'debugpy', label: 'Python Debugger' }] }),
      ]),
      'ms-python.debugpy',
    );
    assert.equal(
      installedPythonDebugger([extension('ms-python.python', { debuggers: [{ type: 'python' }] })]),
      'ms-python.python',
    );
  });

  it('says none when no extension contributes a Python debugger, whatever the manifests hold', () => {
    assert.equal(
      installedPythonDebugger([
        extension('ms-python.python', { languages: [{ id: 'python' }] }),
        extension('odd.one', { debuggers: 'debugpy' }),
        extension('odd.two', { debuggers: [null, { type: 3 }] }),
        { id: 'no.manifest', packageJSON: undefined },
        extension('ms-vscode.js-debug', { debuggers: [{ type: 'node' }] }),
      ]),
      undefined,
    );
  });

  it('offers to install ms-python.debugpy', () => {
    const error = new NoPythonDebuggerError();
    assert.equal(error.code, 'NoPythonDebugger');
    assert.deepEqual(error.actions, [
      {
        title: 'Install Python Debugger',
        command: 'workbench.extensions.installExtension',
        args: ['ms-python.debugpy'],
      },
    ]);
  });

  it('a port that takes the connection but stays silent: names it, the wait, and the setting to change', () => {
    const error = new DebuggerNotAnsweringError(5678, 'algo-1 of my-job', 15_000);
    assert.equal(error.code, 'DebuggerNotAnswering');
    assert.match(error.message, /^Port 5678 in algo-1 of my-job accepted a connection but did not answer/);
    assert.match(error.message, /within 15 s/);
    assert.match(error.message, /sagemakerSsh\.debugger\.port/);
  });
});

describe('Attach Python Debugger: the probe through the forward', () => {
  async function server(onSocket: (socket: Socket) => void): Promise<{ port: number; close(): void }> {
    const s = createServer(onSocket);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return { port: (s.address() as AddressInfo).port, close: () => s.close() };
  }

  it('frames DAP initialize with its Content-Length', () => {
    const text = dapInitializeRequest().toString('utf8');
    const [header, body] = text.split('\r\n\r\n');
    assert.equal(header, `Content-Length: ${Buffer.byteLength(body)}`);
    assert.equal((JSON.parse(body) as { command: string }).command, 'initialize');
  });

  it('answers: the server replied to initialize', async () => {
    const s = await server((socket) =>
      socket.once('data', () => socket.write('Content-Length: 2\r\n\r\n{}')),
    );
    try {
      assert.equal(await probeForward(s.port), 'answers');
    } finally {
      s.close();
    }
  });

  it('closed: the connection ended without a reply (the forward could not reach a server)', async () => {
    const s = await server((socket) => socket.once('data', () => socket.destroy()));
    try {
      assert.equal(await probeForward(s.port), 'closed');
    } finally {
      s.close();
    }
  });

  it('silent: the server took the connection and never answered', async () => {
    const s = await server(() => undefined);
    try {
      assert.equal(await probeForward(s.port, { answerTimeoutMs: 50 }), 'silent');
    } finally {
      s.close();
    }
  });

  it('aborted: the user cancelled while the server stayed silent', async () => {
    const abort = new AbortController();
    const s = await server((socket) => socket.once('data', () => abort.abort()));
    try {
      assert.equal(await probeForward(s.port, { signal: abort.signal }), 'aborted');
    } finally {
      s.close();
    }
  });
});
