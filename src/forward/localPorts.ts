import { createServer } from 'node:net';
import { InvalidPortError, LocalPortInUseError } from './forwardErrors';

/** Forwards listen here only: a forwarded Jupyter must not be reachable from the network. */
export const FORWARD_BIND_ADDRESS = '127.0.0.1';

/** What the port choice needs from the machine (injected in tests). */
export interface LocalPortProbe {
  /** True when 127.0.0.1:port can be listened on now. */
  isFree(port: number): Promise<boolean>;
  /** A port the system says is free now. */
  anyFree(): Promise<number>;
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, FORWARD_BIND_ADDRESS, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

export const systemPortProbe: LocalPortProbe = {
  isFree: (port) =>
    listenOnce(port).then(
      () => true,
      () => false,
    ),
  anyFree: () => listenOnce(0),
};

/** A port number from user input (CLI argument, input box): a whole number 1–65535. */
export function parsePort(value: string | number, what: string): number {
  const text = String(value).trim();
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidPortError(text, what);
  return port;
}

/**
 * The local port for a forward to `remotePort`: the one asked for (which must be free), else the
 * remote port itself when free, else any free port (0: the listener picks).
 */
export async function chooseLocalPort(
  remotePort: number,
  requested: number | undefined,
  probe: LocalPortProbe = systemPortProbe,
): Promise<number> {
  if (requested !== undefined) {
    if (requested === 0 || (await probe.isFree(requested))) return requested;
    throw new LocalPortInUseError(requested, await probe.anyFree().catch(() => undefined));
  }
  return (await probe.isFree(remotePort)) ? remotePort : 0;
}
