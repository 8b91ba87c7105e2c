import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../util/logger';
import { silentLogger } from '../util/logger';
import { DrainGate } from './drainGate';
import { FlagCode } from './protocolConstants';
import { ReceivePressure } from './receivePressure';
import { startSessionSmux } from './smuxSessionBridge';
import type { SessionEnd, SsmSession } from './ssmSession';

export interface StdioProxyOptions {
  log?: Logger;
  smuxKeepaliveIntervalMs?: number;
}

function flush(output: Writable): Promise<void> {
  if (output.destroyed || output.writableEnded) return Promise.resolve();
  return new Promise((resolve) => output.write(Buffer.alloc(0), () => resolve()));
}

/** Says so when the agent reports that it could not reach the session's port in the container. */
export function logConnectToPortErrors(session: SsmSession, log: Logger): void {
  session.on('flag', (flag) => {
    if (flag === FlagCode.ConnectToPortError)
      log.error('Connection to destination port failed, check SSM Agent logs.');
  });
}

function bridgeRaw(session: SsmSession, input: Readable, output: Writable): void {
  const gate = new DrainGate(session);
  const pressure = new ReceivePressure(() => session.receiverReady());
  session.setReceiver({
    onData: (chunk) => pressure.write(output, chunk),
    state: () => (pressure.isCongested ? 'busy' : 'ready'),
  });
  input.on('data', (chunk: Buffer) => {
    if (!session.write(chunk)) gate.hold(input);
  });
}

/**
 * Runs a session as an ssh ProxyCommand: `input` bytes go to the agent, the agent's bytes go to
 * `output`, and nothing else is written to `output`. Stdin EOF ends the session from our side
 * (drain, TerminateSession flag); a service `channel_closed` ends it from theirs. In mux mode the
 * bytes travel on a single smux stream. Resolves with how the session ended, after `output` flushed.
 */
export async function runStdioProxy(
  session: SsmSession,
  input: Readable,
  output: Writable,
  options: StdioProxyOptions = {},
): Promise<SessionEnd> {
  const log = options.log ?? silentLogger;
  logConnectToPortErrors(session, log);
  if (session.mode === 'mux') {
    const smux = startSessionSmux(session, { log, keepaliveIntervalMs: options.smuxKeepaliveIntervalMs });
    smux.bridge(input, output, () => void session.terminate());
  } else {
    bridgeRaw(session, input, output);
    input.once('end', () => void session.terminate());
  }
  input.once('error', (error) => {
    log.warn(`Reading stdin failed: ${error.message}`);
    void session.terminate();
  });
  const end = await session.ended;
  input.pause();
  await flush(output);
  return end;
}
