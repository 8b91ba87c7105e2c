import type { Readable, Writable } from 'node:stream';

/**
 * A refused public-key login is short: version, key exchange, service request, "none", then one
 * query per offered key (sshd allows MaxAuthTries, 6 by default), each a client → server → client
 * turn. Anything that got as far as a shell or a forwarding has many more turns.
 */
const maxTurnsOfARefusedLogin = 24;

/**
 * Watches a ProxyCommand's tunnel without reading it (it is encrypted). An OpenSSH client whose
 * keys were all refused exits right after sshd's last "failure" answer, without sending anything
 * more; a session that ends normally ends with the client's own close message. So a tunnel whose
 * last bytes came from the server, after few turns, is what a refused login looks like. A false
 * positive (a client killed during its login) costs one extra key install on the next connection.
 */
export class TunnelObserver {
  private last: 'client' | 'server' | undefined;
  private turnCount = 0;

  get turns(): number {
    return this.turnCount;
  }

  fromClient(bytes: number): void {
    this.chunk('client', bytes);
  }

  fromServer(bytes: number): void {
    this.chunk('server', bytes);
  }

  looksLikeRefusedLogin(): boolean {
    return this.last === 'server' && this.turnCount <= maxTurnsOfARefusedLogin;
  }

  /** Consecutive chunks in one direction are one turn; empty writes (a flush) are no turn. */
  private chunk(side: 'client' | 'server', bytes: number): void {
    if (bytes === 0) return;
    if (this.last !== side) this.turnCount++;
    this.last = side;
  }
}

type Listener = (...args: unknown[]) => void;

/** `target` with some members replaced; the other methods stay bound to `target`. */
function withOverrides<T extends object>(target: T, overrides: Record<string, unknown>): T {
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(object, property) {
      if (typeof property === 'string' && property in overrides) return overrides[property];
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      if (!bound.has(property)) bound.set(property, (value as Listener).bind(object));
      return bound.get(property);
    },
  });
}

/** The ProxyCommand's stdin and stdout as seen by the tunnel, reporting each chunk to `observer`. */
export function observeTunnel<I extends Readable, O extends Writable>(
  input: I,
  output: O,
  observer: TunnelObserver,
): { input: I; output: O } {
  const addListener =
    (method: 'on' | 'once' | 'addListener') =>
    (event: string | symbol, listener: Listener): I => {
      const wrapped: Listener =
        event === 'data'
          ? (chunk, ...rest) => {
              observer.fromClient((chunk as Buffer).length);
              listener(chunk, ...rest);
            }
          : listener;
      input[method](event, wrapped);
      return observedInput;
    };
  const observedInput: I = withOverrides(input, {
    on: addListener('on'),
    once: addListener('once'),
    addListener: addListener('addListener'),
  });
  const observedOutput: O = withOverrides(output, {
    write: (chunk: Buffer | string, ...rest: unknown[]): boolean => {
      observer.fromServer(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
      return (output.write as (...args: unknown[]) => boolean)(chunk, ...rest);
    },
  });
  return { input: observedInput, output: observedOutput };
}
