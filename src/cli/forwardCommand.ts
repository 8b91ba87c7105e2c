import { resolveSshNode } from '../connect/resolveTarget';
import { parsePort } from '../forward/localPorts';
import { describeSessionEnd } from '../forward/forwardManager';
import type { NodeForward } from '../forward/startForward';
import { startForward } from '../forward/startForward';
import type { CliIo } from './cliEnvironment';
import { UsageError } from './cliErrors';
import { ExitCode, exitCodeOfSessionEnd } from './exitCodes';
import { SsmApi } from '../ssm/ssmApi';
import type { SessionEnd } from '../ssm/ssmSession';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';
import { cliConnection, cliLogger } from './cliEnvironment';
import { parseHostCommand } from './cliTarget';
import { onEndSignals } from './interruptScope';
import type { ParsedHostCommand } from './cliTarget';

export interface PortPair {
  readonly remotePort: number;
  /** Undefined: the remote port when free here, else any free port. */
  readonly localPort?: number;
}

/** A port argument; a bad one is a usage error (exit 2). */
function portArgument(value: string, what: string): number {
  try {
    return parsePort(value, what);
  } catch (error) {
    throw new UsageError(`forward: ${errorMessage(error)}`);
  }
}

/** `-L [local:]remote` (or `-L[local:]remote`), as many as wanted. */
function pairOfSpec(spec: string): PortPair {
  const parts = spec.split(':');
  if (parts.length > 2) throw new UsageError(`forward: -L takes [local-port:]remote-port, not "${spec}".`);
  const remotePort = portArgument(parts.at(-1)!, 'remote port');
  return parts.length === 2
    ? { remotePort, localPort: portArgument(parts[0]!, 'local port') }
    : { remotePort };
}

/** `<alias> <remote-port> [local-port]` and/or `-L [local:]remote` pairs, plus the host flags. */
export function parseForwardCommand(args: readonly string[]): {
  options: ParsedHostCommand;
  pairs: PortPair[];
} {
  const pairs: PortPair[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '-L') {
      const spec = args[++i];
      if (spec === undefined) throw new UsageError('forward: -L needs [local-port:]remote-port.');
      pairs.push(pairOfSpec(spec));
    } else if (arg.startsWith('-L')) {
      pairs.push(pairOfSpec(arg.slice(2)));
    } else {
      rest.push(arg);
    }
  }
  const options = parseHostCommand('forward', rest);
  const [remote, local, ...extra] = options.rest;
  if (extra.length > 0) throw new UsageError(`forward: unexpected argument "${extra[0]}".`);
  if (remote !== undefined) {
    pairs.unshift({
      remotePort: portArgument(remote, 'remote port'),
      localPort: local === undefined ? undefined : portArgument(local, 'local port'),
    });
  }
  if (pairs.length === 0) {
    throw new UsageError(`forward needs a remote port, e.g. sm-ssh forward ${options.host.alias} 8888`);
  }
  const locals = pairs.flatMap((pair) => (pair.localPort === undefined ? [] : [pair.localPort]));
  const repeated = locals.find((port, index) => locals.indexOf(port) !== index);
  if (repeated !== undefined) throw new UsageError(`forward: local port ${repeated} is given twice.`);
  return { options, pairs };
}

/** Tells the terminal about drops, resumes and connections nothing accepted in the container. */
function report(forward: NodeForward, io: CliIo): void {
  let wasReconnecting = false;
  forward.on('state', (state) => {
    if (state === 'reconnecting') {
      wasReconnecting = true;
      io.stderr.write(
        `sm-ssh: lost the connection to Session Manager (port ${forward.request.remotePort}); resuming…\n`,
      );
    } else if (state === 'active' && wasReconnecting) {
      wasReconnecting = false;
      io.stderr.write(`sm-ssh: resumed the forward of port ${forward.request.remotePort}.\n`);
    } else if (state === 'nothingListens') {
      io.stderr.write(`sm-ssh: ${forward.problem?.message ?? ''}\n`);
    }
  });
}

async function runForwards(
  api: SsmApi,
  instanceId: string,
  alias: string,
  pairs: readonly PortPair[],
  io: CliIo,
  logger: Logger,
): Promise<number> {
  const forwards: NodeForward[] = [];
  let interrupted = false;
  let wake: () => void = () => undefined;
  const interruptedWait = new Promise<void>((resolve) => (wake = resolve));
  const stopAll = (): Promise<SessionEnd[]> => Promise.all(forwards.map((forward) => forward.stop()));
  const stopListening = onEndSignals(() => {
    interrupted = true;
    wake();
  });
  try {
    for (const pair of pairs) {
      if (interrupted) break;
      const forward = await startForward(api, { instanceId, where: alias, ...pair }, { log: logger });
      forwards.push(forward);
      report(forward, io);
      io.stdout.write(`Forwarding 127.0.0.1:${forward.localPort} -> ${alias}:${pair.remotePort}\n`);
    }
    if (!interrupted) io.stderr.write('Press Ctrl-C to stop forwarding.\n');
    const first = await Promise.race([
      interruptedWait.then(() => undefined),
      ...forwards.map((forward) => forward.ended.then((end) => ({ forward, end }))),
    ]);
    await stopAll();
    if (interrupted || !first) return ExitCode.Ok;
    io.stderr.write(
      `sm-ssh: the forward of port ${first.forward.request.remotePort} ended: ${describeSessionEnd(first.end)}\n`,
    );
    return first.end.kind === 'channel-closed' && !first.end.isError
      ? ExitCode.Ok
      : exitCodeOfSessionEnd(first.end, logger);
  } catch (error) {
    await stopAll();
    throw error;
  } finally {
    stopListening();
  }
}

/**
 * `sm-ssh forward <host> <remote-port> [local-port] [-L [local:]remote]…`: listens on 127.0.0.1 and
 * forwards to the ports in the container over SSM port sessions (no ssh), resuming dropped
 * connections, until Ctrl-C, which terminates the sessions on the service.
 */
export async function runForward(args: string[], io: CliIo): Promise<number> {
  const { options, pairs } = parseForwardCommand(args);
  const logger = cliLogger(options, io.env, (text) => io.stderr.write(text));
  const connection = await cliConnection(options, logger, io.env);
  const { alias, target } = options.host;
  try {
    const [resolved, api] = await Promise.all([
      resolveSshNode(connection, target),
      SsmApi.forConnection(connection),
    ]);
    return await runForwards(api, resolved.instance.instanceId, alias, pairs, io, logger);
  } catch (error) {
    throw connection.translate(error);
  }
}
