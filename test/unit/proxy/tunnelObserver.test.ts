import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { TunnelObserver, observeTunnel } from '../../../src/proxy/tunnelObserver';

/** Client (C) and server (S) chunks in the order the proxy carries them. */
function observe(turns: string): TunnelObserver {
  const observer = new TunnelObserver();
  for (const turn of turns) {
    if (turn === 'C') observer.fromClient(10);
    else observer.fromServer(10);
  }
  return observer;
}

describe('TunnelObserver: what a refused ssh login looks like from the ProxyCommand', () => {
  it('a login whose last word is the server’s, after few turns, looks refused', () => {
    // version, kex, newkeys + service request, "none", one public-key query: each answered.
    assert.equal(observe('CSCSCSCSCS').looksLikeRefusedLogin(), true);
  });

  it('a session that ends with the client’s close message does not', () => {
    assert.equal(observe('CSCSCSCSCSCSCSCSC').looksLikeRefusedLogin(), false);
  });

  it('a long session killed after a server message does not (too many turns)', () => {
    assert.equal(observe('CS'.repeat(40)).looksLikeRefusedLogin(), false);
  });

  it('a tunnel the server never answered does not (nothing to blame the key for)', () => {
    assert.equal(observe('C').looksLikeRefusedLogin(), false);
    assert.equal(new TunnelObserver().looksLikeRefusedLogin(), false);
  });

  it('counts consecutive chunks in one direction as one turn, and ignores empty writes', () => {
    const observer = observe('CCCSSSC');
    observer.fromServer(0);
    assert.equal(observer.turns, 3);
  });

  it('observes the data listeners and writes of the streams it wraps, passing every byte on', async () => {
    const observer = new TunnelObserver();
    const input = new PassThrough();
    const output = new PassThrough();
    const tunnel = observeTunnel(input, output, observer);
    const received: string[] = [];
    tunnel.input.on('data', (chunk: Buffer) => received.push(chunk.toString()));
    input.write('SSH-2.0-client\r\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(tunnel.output.write(Buffer.from('SSH-2.0-server\r\n')), true);
    assert.deepEqual(received, ['SSH-2.0-client\r\n']);
    assert.equal(output.read()?.toString(), 'SSH-2.0-server\r\n');
    assert.equal(tunnel.output.writableLength, output.writableLength);
    assert.equal(observer.turns, 2);
    assert.equal(observer.looksLikeRefusedLogin(), true);
  });
});
