import { existsSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { ContainerIsolationError } from './errors';
import { runHostProcess } from './processes';

/** Where iproute2 puts `ip` (/usr/sbin on merged-/usr systems, /sbin or /bin on others). */
const IP_CANDIDATES = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'];

/** The command that brings a fresh network namespace's loopback up (it starts down); undefined without `ip`. */
export function loopbackUpCommand(): string[] | undefined {
  const ip = IP_CANDIDATES.find((candidate) => existsSync(candidate));
  return ip ? [ip, 'link', 'set', 'lo', 'up'] : undefined;
}

/** Host programs a simulated container relies on. */
export const REQUIRED_PROGRAMS = [
  '/usr/bin/unshare',
  '/usr/bin/nsenter',
  '/usr/bin/mount',
  '/usr/bin/python3',
  '/usr/sbin/sshd',
  '/usr/bin/ssh-keygen',
] as const;

/** unshare's options for a container: its own mount, PID, UTS and network namespaces, reaped with it. */
export const CONTAINER_NAMESPACES = [
  '--mount',
  '--pid',
  '--uts',
  '--net',
  '--fork',
  '--kill-child',
  '--mount-proc',
  '--propagation',
  'private',
] as const;

let probe: Promise<void> | undefined;

async function probeOnce(): Promise<void> {
  if (process.platform !== 'linux')
    throw new ContainerIsolationError(`the platform is ${process.platform}, not Linux`);
  if (process.getuid?.() !== 0)
    throw new ContainerIsolationError(`the emulator runs as uid ${process.getuid?.()}, not root`);
  for (const program of REQUIRED_PROGRAMS) {
    try {
      await access(program, constants.X_OK);
    } catch {
      throw new ContainerIsolationError(`${program} is missing`);
    }
  }
  const loopbackUp = loopbackUpCommand();
  if (!loopbackUp) {
    throw new ContainerIsolationError(
      `ip is missing (none of ${IP_CANDIDATES.join(', ')}; apt-get install iproute2)`,
    );
  }
  // The same namespaces a container gets, with its loopback up, a tmpfs mount and a hostname inside them.
  const result = await runHostProcess('/usr/bin/unshare', [
    ...CONTAINER_NAMESPACES,
    '/bin/sh',
    '-c',
    `${loopbackUp.join(' ')} && mount -t tmpfs tmpfs /mnt && hostname sm-probe && test "$(hostname)" = sm-probe && test "$$" = 1`,
  ]);
  if (result.code !== 0) {
    throw new ContainerIsolationError(
      `"unshare --mount --pid --uts --net" with "${loopbackUp.join(' ')}" inside failed (exit ${result.code ?? result.signal}): ${result.stderr.trim() || 'no output'}`,
    );
  }
}

/** Checks (once per process) that containers can be isolated here; throws ContainerIsolationError if not. */
export function assertIsolationAvailable(): Promise<void> {
  probe ??= probeOnce();
  return probe;
}
