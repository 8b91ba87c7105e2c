import {
  chmod,
  chown,
  copyFile,
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  realpath,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AGENT_BINARIES } from '../peers';
import { hostPackageMask } from './hostPackages';
import { INIT_PROGRAM } from './initProgram';
import { loopbackUpCommand } from './isolation';
import { runHostProcess } from './processes';
import { shellWord } from '../../../src/util/shellQuote';

/** A file placed in the container before it starts. */
export interface ContainerFile {
  readonly content: string | Buffer;
  /** Default 0o644. */
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
}

/** A login user besides root (Studio spaces log in as `sagemaker-user`). */
export interface ContainerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly shell?: string;
}

export interface SandboxSpec {
  readonly id: string;
  readonly hostname: string;
  /** Container path → content, written before the container starts. */
  readonly files?: Readonly<Record<string, ContainerFile>>;
  readonly users?: readonly ContainerUser[];
  /** Parent directory of the sandbox; default os.tmpdir(). */
  readonly parentDir?: string;
  /**
   * Host folder with AWS's amazon-ssm-agent and its workers (see peers.ts): bound into
   * /usr/local/bin side by side, instead of the stand-in agent.
   */
  readonly awsAgentDir?: string;
  /** The image's packages (see hostPackages.ts IMAGE_PACKAGES, the default); e.g. without openssh-server. */
  readonly imagePackages?: readonly string[];
}

/** Where AWS's agent binaries (peers.ts AGENT_BINARIES) are bound side by side: the agent runs workers found beside it. */
const AWS_AGENT_FOLDER = '/usr/local/lib/amazon-ssm-agent';

/** The host-side directories of one container and the mount plan its init applies. */
export interface Sandbox {
  readonly dir: string;
  readonly initProgramPath: string;
  readonly planPath: string;
  readonly plan: InitPlan;
}

export interface InitPlan {
  /** Run first: the container's network namespace starts with its loopback interface down. */
  readonly loopbackUp: readonly string[];
  /** Argument lists for mount(8), applied in order inside the container's mount namespace. */
  readonly mounts: readonly (readonly string[])[];
  readonly hostname: string;
  /** [path, octal mode] created after mounting (e.g. sshd's privilege separation directory). */
  readonly directories: readonly (readonly [string, string])[];
  readonly graceSeconds: number;
}

/** Host directories shown to the container through a copy-on-write overlay (writes land in the sandbox). */
const OVERLAYS: readonly (readonly [string, string])[] = [
  ['/etc', 'etc'],
  ['/var', 'var'],
];

/** Host directories replaced by fresh, empty sandbox directories. */
const FRESH: readonly (readonly [string, string, number])[] = [
  ['/etc/ssh', 'etc-ssh', 0o755],
  ['/root', 'root', 0o700],
  ['/home', 'home', 0o755],
  ['/tmp', 'tmp', 0o1777],
  // An image's own: the host's (pip packages, hand-installed tools) would leak into container tests.
  ['/opt', 'opt', 0o755],
  ['/usr/local', 'usr-local', 0o755],
];

/** What a fresh /usr/local holds in a Debian image. */
const USR_LOCAL_SKELETON = ['bin', 'etc', 'games', 'include', 'lib', 'sbin', 'share', 'src'];

/** Where a container path lives in the sandbox before the container starts. */
export function sandboxPathFor(dir: string, containerPath: string): string {
  const normalized = path.posix.normalize(containerPath);
  if (!path.posix.isAbsolute(normalized))
    throw new Error(`Container paths must be absolute: ${containerPath}`);
  for (const [mountPoint, name] of FRESH) {
    if (normalized === mountPoint || normalized.startsWith(mountPoint + '/')) {
      return path.join(dir, name, normalized.slice(mountPoint.length));
    }
  }
  for (const [mountPoint, name] of OVERLAYS) {
    if (normalized.startsWith(mountPoint + '/')) {
      return path.join(dir, 'upper', name, normalized.slice(mountPoint.length));
    }
  }
  throw new Error(
    `Cannot place ${containerPath} in a container: only /etc, /opt, /var, /usr/local, /root, /home and /tmp belong to it`,
  );
}

/** The checkout the emulator runs from; the stand-in agent and its node_modules live there. */
const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
/** Where the checkout is parked while fresh directories are mounted over its parent. */
const PROJECT_STAGE = '/mnt';

/** The fresh directory that would hide the checkout (e.g. a clone under /tmp), if any. */
function maskedProjectRoot(): string | undefined {
  const covered = FRESH.some(
    ([mountPoint]) => PROJECT_ROOT === mountPoint || PROJECT_ROOT.startsWith(`${mountPoint}/`),
  );
  return covered ? PROJECT_ROOT : undefined;
}

function initPlan(
  dir: string,
  hostname: string,
  hostMask: string,
  awsAgentDir: string | undefined,
): InitPlan {
  // assertIsolationAvailable found it before any sandbox is made.
  const loopbackUp = loopbackUpCommand();
  if (!loopbackUp) throw new Error('ip (iproute2) is missing');
  const project = maskedProjectRoot();
  // A checkout under /tmp, /root or /home would vanish behind the fresh directories: park it,
  // then put it back at the same path, so the agent and node_modules stay where they were.
  const park = project ? [['--bind', project, PROJECT_STAGE]] : [];
  const restore = project ? [['--bind', PROJECT_STAGE, project]] : [];
  const overlays = OVERLAYS.map(([target, name]) => [
    '-t',
    'overlay',
    'overlay',
    '-o',
    `lowerdir=${target},upperdir=${path.join(dir, 'upper', name)},workdir=${path.join(dir, 'work', name)}`,
    target,
  ]);
  // /usr read-only, less the host packages that are not the image's (whiteouts in hostMask).
  const usr = ['-t', 'overlay', 'overlay', '-o', `ro,lowerdir=${path.join(hostMask, 'usr')}:/usr`, '/usr'];
  const binds = FRESH.filter(([target]) => target !== '/tmp').map(([target, name]) => [
    '--bind',
    path.join(dir, name),
    target,
  ]);
  return {
    loopbackUp,
    mounts: [
      ...park,
      ...overlays,
      usr,
      ...binds,
      ...(awsAgentDir
        ? AGENT_BINARIES.map((name) => [
            '--bind',
            path.join(awsAgentDir, name),
            `${AWS_AGENT_FOLDER}/${name}`,
          ])
        : []),
      ['-t', 'tmpfs', '-o', 'mode=755,nosuid,nodev', 'tmpfs', '/run'],
      ['-t', 'tmpfs', '-o', 'mode=1777,nosuid,nodev', 'tmpfs', '/dev/shm'],
      // Its own pseudo-terminals, mounted as Docker mounts them: a pty then belongs to group tty,
      // so a non-root sshd (remote debug runs ours as the session's user) can hand one out.
      ['-t', 'devpts', '-o', 'newinstance,gid=5,mode=620,ptmxmode=666', 'devpts', '/dev/pts'],
      ['--bind', '/dev/pts/ptmx', '/dev/ptmx'],
      // Last, because the sandbox itself usually lives under the host's /tmp.
      ['--bind', path.join(dir, 'tmp'), '/tmp'],
      ...restore,
      // Everything that is not the container's own stays visible but read-only.
      ['-o', 'remount,bind,ro', '/'],
    ],
    hostname,
    directories: [
      ['/run/sshd', '755'],
      ['/run/lock', '1777'],
    ],
    graceSeconds: 2,
  };
}

function sshdConfig(): string {
  return [
    '# sshd of a simulated SageMaker container (written by the AWS emulator; payload scripts may edit it).',
    '# The container has its own network namespace: port 22 here is its own, as in SageMaker.',
    'Port 22',
    'ListenAddress 127.0.0.1',
    'HostKey /etc/ssh/ssh_host_ed25519_key',
    'HostKey /etc/ssh/ssh_host_ecdsa_key',
    'AuthorizedKeysFile /etc/ssh/authorized_keys',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    '# PAM (pam_env) applies /etc/environment to every session, as in upstream containers.',
    'UsePAM yes',
    'ClientAliveInterval 15',
    'MaxStartups 100:30:200',
    'PidFile /run/sshd.pid',
    'PrintMotd no',
    'AcceptEnv LANG LC_*',
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    '',
  ].join('\n');
}

/** The host's account files without its human users (uid >= 1000), plus the container's users. */
async function accountFiles(users: readonly ContainerUser[]): Promise<Record<string, ContainerFile>> {
  const isSystem = (line: string): boolean => {
    const uid = Number(line.split(':')[2]);
    return line.trim() !== '' && (uid < 1000 || uid === 65534);
  };
  const hostUsers = (await readFile('/etc/passwd', 'utf8')).split('\n').filter(isSystem);
  const systemNames = new Set(hostUsers.map((line) => line.split(':')[0]));
  const shadow = (await readFile('/etc/shadow', 'utf8').catch(() => ''))
    .split('\n')
    .filter((line) => systemNames.has(line.split(':')[0]));
  const passwd = [
    ...hostUsers,
    ...users.map((u) => `${u.name}:x:${u.uid}:${u.gid}::${u.home}:${u.shell ?? '/bin/bash'}`),
  ];
  const shadowLines = [...shadow, ...users.map((u) => `${u.name}:*:19700:0:99999:7:::`)];
  return {
    '/etc/passwd': { content: passwd.join('\n') + '\n' },
    '/etc/shadow': { content: shadowLines.join('\n') + '\n', mode: 0o640 },
  };
}

async function writeContainerFile(dir: string, containerPath: string, file: ContainerFile): Promise<void> {
  const target = sandboxPathFor(dir, containerPath);
  await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  await writeFile(target, file.content);
  await chmod(target, file.mode ?? 0o644);
  if (file.uid !== undefined) await chown(target, file.uid, file.gid ?? file.uid);
}

async function generateHostKeys(dir: string, hostname: string): Promise<void> {
  await Promise.all(
    ['ed25519', 'ecdsa'].map(async (type) => {
      const keyFile = path.join(dir, 'etc-ssh', `ssh_host_${type}_key`);
      const result = await runHostProcess('ssh-keygen', [
        '-q',
        '-t',
        type,
        '-N',
        '',
        '-C',
        `root@${hostname}`,
        '-f',
        keyFile,
      ]);
      if (result.code !== 0) throw new Error(`ssh-keygen -t ${type} failed: ${result.stderr.trim()}`);
    }),
  );
}

/**
 * The stand-in agent's runtime (the host's node) where the container would not see it: under /usr/local,
 * /opt, /root or /home, which the container gets fresh. Hard-linked (copied across file systems).
 */
async function placeRuntime(dir: string, runtime: string): Promise<void> {
  const inFresh = FRESH.some(([mountPoint]) => runtime.startsWith(`${mountPoint}/`));
  if (!inFresh) return;
  const target = sandboxPathFor(dir, runtime);
  await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  await link(runtime, target).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EXDEV') throw error;
    await copyFile(runtime, target);
    await chmod(target, 0o755);
  });
}

async function copyIfPresent(from: string, to: string): Promise<void> {
  await copyFile(from, to).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/**
 * Creates a container's sandbox on the host: overlay upper/work directories, fresh /etc/ssh, /root,
 * /home and /tmp, the "image" (sshd config and host keys, account files, the stand-in
 * amazon-ssm-agent) and the caller's files. Nothing outside the sandbox directory is written.
 */
export async function createSandbox(spec: SandboxSpec, agentCommand: readonly string[]): Promise<Sandbox> {
  const safeId = spec.id.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 40);
  const dir = await mkdtemp(path.join(spec.parentDir ?? tmpdir(), `${SANDBOX_PREFIX}${safeId}-`));
  try {
    await chmod(dir, 0o755);
    for (const [, name] of OVERLAYS) {
      await mkdir(path.join(dir, 'upper', name), { recursive: true });
      await mkdir(path.join(dir, 'work', name), { recursive: true });
    }
    for (const [, name, mode] of FRESH) {
      await mkdir(path.join(dir, name), { recursive: true });
      await chmod(path.join(dir, name), mode);
    }
    const users = spec.users ?? [];
    for (const user of users) {
      const home = sandboxPathFor(dir, user.home);
      await mkdir(home, { recursive: true });
      await chown(home, user.uid, user.gid);
    }
    await generateHostKeys(dir, spec.hostname);
    const runtime = await realpath(agentCommand[0]!);
    await copyIfPresent('/etc/ssh/ssh_config', path.join(dir, 'etc-ssh', 'ssh_config'));
    await copyIfPresent('/etc/ssh/moduli', path.join(dir, 'etc-ssh', 'moduli'));
    const image: Record<string, ContainerFile> = {
      '/etc/ssh/sshd_config': { content: sshdConfig() },
      '/etc/environment': { content: '' },
      '/etc/hostname': { content: `${spec.hostname}\n` },
      '/etc/hosts': {
        content: `127.0.0.1\tlocalhost\n127.0.0.1\t${spec.hostname}\n::1\tlocalhost ip6-localhost\n`,
      },
      ...(spec.awsAgentDir
        ? {
            // Mount points for AWS's binaries (bound over these empty files when the container starts).
            ...Object.fromEntries(
              AGENT_BINARIES.map((name) => [`${AWS_AGENT_FOLDER}/${name}`, { content: '', mode: 0o755 }]),
            ),
            // The agent looks for its workers beside argv[0], so it must be started by its full path.
            '/usr/local/bin/amazon-ssm-agent': {
              content: `#!/bin/sh\nexec ${AWS_AGENT_FOLDER}/amazon-ssm-agent "$@"\n`,
              mode: 0o755,
            },
          }
        : {
            '/usr/local/bin/amazon-ssm-agent': {
              content: `#!/bin/sh\n# Stand-in Amazon SSM Agent of the AWS emulator (runs on the host's Node.js).\nexec ${[runtime, ...agentCommand.slice(1)].map(shellWord).join(' ')} "$@"\n`,
              mode: 0o755,
            },
          }),
      ...(await accountFiles(users)),
    };
    for (const [containerPath, file] of Object.entries({ ...image, ...spec.files })) {
      await writeContainerFile(dir, containerPath, file);
    }
    for (const name of USR_LOCAL_SKELETON) {
      await mkdir(path.join(dir, 'usr-local', name), { recursive: true, mode: 0o755 });
    }
    await placeRuntime(dir, runtime);
    const project = maskedProjectRoot();
    if (project) {
      await mkdir(sandboxPathFor(dir, project), { recursive: true, mode: 0o755 });
    }
    for (const directory of ['/var/lib/amazon/ssm', '/var/log/amazon/ssm', '/opt/ml/code']) {
      await mkdir(sandboxPathFor(dir, directory), { recursive: true, mode: 0o755 });
    }
    const initProgramPath = path.join(dir, 'init.py');
    await writeFile(initProgramPath, INIT_PROGRAM, { mode: 0o644 });
    // The stand-in agent runs on the host's Node.js, so the container sees that one program too.
    const plan = initPlan(
      dir,
      spec.hostname,
      await hostPackageMask([runtime], spec.imagePackages),
      spec.awsAgentDir,
    );
    const planPath = path.join(dir, 'init-plan.json');
    await writeFile(planPath, JSON.stringify(plan, null, 2), { mode: 0o644 });
    return { dir, initProgramPath, planPath, plan };
  } catch (error) {
    await removeSandbox(dir);
    throw error;
  }
}

const SANDBOX_PREFIX = 'sm-container-';
const OWNER_FILE = 'unshare.pid';

/** Records which process holds the sandbox's namespaces, so a later sweep can tell it is still in use. */
export async function recordSandboxOwner(dir: string, pid: number): Promise<void> {
  await writeFile(path.join(dir, OWNER_FILE), `${pid}\n`);
}

async function inUse(dir: string): Promise<boolean> {
  const pid = Number((await readFile(path.join(dir, OWNER_FILE), 'utf8').catch(() => '')).trim());
  if (!pid) {
    // Being created right now, or creation crashed: only sweep it once it is clearly old.
    const created = await stat(dir)
      .then((stats) => stats.mtimeMs)
      .catch(() => 0);
    return Date.now() - created < 60_000;
  }
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes(path.join(dir, 'init.py'));
}

/**
 * Removes sandboxes left behind by an emulator process that died without closing (its containers
 * died with it: init exits when its stdin closes, and the kernel kills the rest of the namespace).
 */
export async function sweepStaleSandboxes(parentDir: string = tmpdir()): Promise<void> {
  const entries = await readdir(parentDir).catch(() => [] as string[]);
  for (const name of entries) {
    if (!name.startsWith(SANDBOX_PREFIX)) continue;
    const dir = path.join(parentDir, name);
    if (!(await inUse(dir))) await removeSandbox(dir);
  }
}

export async function removeSandbox(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
}
