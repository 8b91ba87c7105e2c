import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../util/logger';
import { DrainGate } from './drainGate';
import { ReceivePressure } from './receivePressure';
import { SmuxClient } from './smux/smuxClient';
import type { SmuxStream } from './smux/smuxStream';
import type { SsmSession } from './ssmSession';
import { agentRequiresSmuxKeepalive } from './version';

export const DEFAULT_SMUX_KEEPALIVE_MS = 10_000;

/** A smux client running over a session's Output stream, with backpressure both ways. */
export interface SessionSmux {
  readonly client: SmuxClient;
  /** Copies between a local reader/writer pair and a new stream until either side closes. */
  bridge(reader: Readable, writer: Writable, onClosed: () => void): SmuxStream;
}

export function startSessionSmux(
  session: SsmSession,
  options: { log: Logger; keepaliveIntervalMs?: number },
): SessionSmux {
  const keepalive = agentRequiresSmuxKeepalive(session.agentVersion)
    ? (options.keepaliveIntervalMs ?? DEFAULT_SMUX_KEEPALIVE_MS)
    : 0;
  const client = new SmuxClient(session, { log: options.log, keepaliveIntervalMs: keepalive });
  const gate = new DrainGate(session);
  const pressure = new ReceivePressure(() => session.receiverReady());
  session.setReceiver({
    onData: (chunk) => client.receive(chunk),
    state: () => (pressure.isCongested ? 'busy' : 'ready'),
  });
  void session.ended.then(() => client.close('session ended'));

  const bridge = (reader: Readable, writer: Writable, onClosed: () => void): SmuxStream => {
    const stream = client.openStream();
    const closeStream = (): void => {
      gate.forget(reader);
      stream.close();
    };
    reader.on('data', (chunk: Buffer) => {
      if (!stream.write(chunk)) gate.hold(reader);
    });
    reader.once('end', closeStream);
    reader.once('close', closeStream);
    reader.once('error', closeStream);
    stream.on('data', (chunk) => pressure.write(writer, chunk));
    stream.once('close', () => {
      gate.forget(reader);
      onClosed();
    });
    return stream;
  };
  return { client, bridge };
}
