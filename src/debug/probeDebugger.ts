import { connect } from 'node:net';

/** DAP's first request, framed as the protocol frames every message. */
export function dapInitializeRequest(seq = 1): Buffer {
  const body = JSON.stringify({
    seq,
    type: 'request',
    command: 'initialize',
    arguments: { clientID: 'sagemaker-ssh-probe', adapterID: 'debugpy', pathFormat: 'path' },
  });
  return Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, 'utf8');
}

export type ProbeResult = 'answers' | 'closed' | 'silent' | 'aborted';

/** debugpy answers `initialize` at once; over a slow SSM tunnel that is well under a second. */
export const PROBE_ANSWER_TIMEOUT_MS = 15_000;

export interface ProbeOptions {
  readonly signal?: AbortSignal;
  /** How long to wait for the first byte back before giving up ('silent'). */
  readonly answerTimeoutMs?: number;
}

/**
 * Whether something answers on the far side of a forward: connects to 127.0.0.1:<localPort>, sends
 * DAP `initialize` and waits for the first byte back ('answers'), the connection to end without one
 * ('closed': nothing listens in the container, the agent could not connect) or the time to run out
 * ('silent': something took the connection and kept quiet). A local connection through a forward
 * always succeeds, so only an answer proves a server is there.
 */
export function probeForward(localPort: number, options: ProbeOptions = {}): Promise<ProbeResult> {
  const { signal, answerTimeoutMs = PROBE_ANSWER_TIMEOUT_MS } = options;
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: localPort });
    const timer = setTimeout(() => finish('silent'), answerTimeoutMs);
    const finish = (result: ProbeResult): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish('aborted');
    if (signal?.aborted) return finish('aborted');
    signal?.addEventListener('abort', onAbort);
    socket.once('connect', () => socket.write(dapInitializeRequest()));
    socket.once('data', () => finish('answers'));
    socket.once('error', () => undefined);
    socket.once('close', () => finish('closed'));
  });
}
