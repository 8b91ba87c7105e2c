import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ContainerStartError } from './errors';
import { runHostProcess } from './processes';

/**
 * Debian packages of the container "image", besides Debian's essential and required ones (a Debian
 * base image) and their dependencies. A SageMaker image has these; it does not have the host's aws CLI,
 * its pip packages or its compilers, so a container test passes or fails whatever else the host has.
 */
export const IMAGE_PACKAGES: readonly string[] = [
  'python3',
  'openssh-server',
  'openssh-client',
  'openssh-sftp-server',
  'procps',
  'iproute2',
  'ca-certificates',
  'curl',
  'less',
  'unzip',
];

/**
 * Host directories whose entries a container sees only if an image package ships them. The rest of
 * /usr (libraries, data) stays visible: it does nothing unless something visible uses it.
 */
export const FILTERED_DIRECTORIES: readonly string[] = [
  '/usr/bin',
  '/usr/sbin',
  '/usr/games',
  '/usr/libexec',
  '/usr/lib/python3/dist-packages',
];

interface InstalledPackage {
  readonly name: string;
  readonly baseImage: boolean;
  /** Each inner list is one dependency with its alternatives (`a | b`). */
  readonly depends: readonly (readonly string[])[];
  readonly provides: readonly string[];
}

function fieldOf(stanza: string, field: string): string {
  const match = new RegExp(`^${field}: *(.*(?:\\n[ \\t].*)*)`, 'm').exec(stanza);
  return match ? match[1]!.replace(/\n[ \t]+/g, ' ').trim() : '';
}

function packageNames(list: string): string[] {
  return list
    .split(',')
    .map((entry) => entry.trim().split(/[\s(:]/)[0]!)
    .filter((name) => name !== '');
}

/** The installed packages of a dpkg status file. */
export function parseDpkgStatus(text: string): Map<string, InstalledPackage> {
  const packages = new Map<string, InstalledPackage>();
  for (const stanza of text.split(/\n\s*\n/)) {
    const name = fieldOf(stanza, 'Package');
    if (!name || !/\binstalled$/.test(fieldOf(stanza, 'Status'))) continue;
    const depends = [fieldOf(stanza, 'Pre-Depends'), fieldOf(stanza, 'Depends')]
      .filter((list) => list !== '')
      .flatMap((list) => list.split(','))
      .map((dependency) => packageNames(dependency.replace(/\|/g, ',')));
    packages.set(name, {
      name,
      baseImage: fieldOf(stanza, 'Essential') === 'yes' || fieldOf(stanza, 'Priority') === 'required',
      depends,
      provides: packageNames(fieldOf(stanza, 'Provides')),
    });
  }
  return packages;
}

/** The base image, the image packages and everything they depend on (every installed alternative). */
export function imagePackageClosure(
  installed: ReadonlyMap<string, InstalledPackage>,
  roots: readonly string[] = IMAGE_PACKAGES,
): Set<string> {
  const providers = new Map<string, string[]>();
  for (const pkg of installed.values()) {
    for (const name of [pkg.name, ...pkg.provides])
      providers.set(name, [...(providers.get(name) ?? []), pkg.name]);
  }
  const closure = new Set<string>();
  const pending = [...roots, ...[...installed.values()].filter((p) => p.baseImage).map((p) => p.name)];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const provider of providers.get(name) ?? []) {
      if (closure.has(provider)) continue;
      closure.add(provider);
      for (const alternatives of installed.get(provider)!.depends) pending.push(...alternatives);
    }
  }
  return closure;
}

/** Debian 12 merged /usr: packages still list /bin, /sbin and /lib paths that live under /usr. */
function mergedUsrPath(file: string): string {
  return file.replace(/^\/(bin|sbin|lib|lib32|lib64|libx32)(\/|$)/, '/usr/$1$2');
}

async function packageFiles(root: string, name: string): Promise<string[]> {
  const info = path.join(root, 'var/lib/dpkg/info');
  for (const listName of [`${name}.list`, `${name}:amd64.list`, `${name}:arm64.list`, `${name}:all.list`]) {
    const text = await readFile(path.join(info, listName), 'utf8').catch(() => undefined);
    if (text !== undefined) return text.split('\n').filter((line) => line.startsWith('/'));
  }
  return [];
}

export interface HostMaskOptions {
  /** The host's root directory (a fake one in unit tests). */
  readonly root?: string;
  readonly packages?: readonly string[];
  /** Host files a container must see although no image package ships them (e.g. the stand-in agent's runtime). */
  readonly extraFiles?: readonly string[];
}

/**
 * The entries of FILTERED_DIRECTORIES (container paths) that a container must not see: those that no
 * image package ships, unless they are symlinks to something that one does (update-alternatives).
 */
export async function hiddenHostEntries(options: HostMaskOptions = {}): Promise<string[]> {
  const root = options.root ?? '/';
  const status = await readFile(path.join(root, 'var/lib/dpkg/status'), 'utf8');
  const closure = imagePackageClosure(parseDpkgStatus(status), options.packages ?? IMAGE_PACKAGES);
  const visible = new Set<string>((options.extraFiles ?? []).map(mergedUsrPath));
  for (const name of closure) {
    for (const file of await packageFiles(root, name)) visible.add(mergedUsrPath(file));
  }
  const hidden: string[] = [];
  for (const directory of FILTERED_DIRECTORIES) {
    const entries = await readdir(path.join(root, directory)).catch(() => [] as string[]);
    for (const entry of entries.sort()) {
      const containerPath = path.posix.join(directory, entry);
      if (visible.has(containerPath)) continue;
      const target = await realpath(path.join(root, containerPath)).catch(() => undefined);
      const targetInContainer = target === undefined ? undefined : '/' + path.relative(root, target);
      if (targetInContainer === undefined || !visible.has(mergedUsrPath(targetInContainer)))
        hidden.push(containerPath);
    }
  }
  return hidden;
}

const MASK_PREFIX = 'sm-host-mask-';

/** Makes overlayfs whiteouts (character devices 0:0) at the given paths, in one process. */
async function makeWhiteouts(paths: readonly string[]): Promise<void> {
  const program =
    'import os, stat, sys\n' +
    'for p in sys.stdin.read().split("\\0"):\n' +
    '    if p: os.mknod(p, stat.S_IFCHR | 0o600, os.makedev(0, 0))\n';
  const result = await runHostProcess('/usr/bin/python3', ['-I', '-c', program], { input: paths.join('\0') });
  if (result.code !== 0) throw new ContainerStartError('host package mask', 'mknod', result.stderr.trim());
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * Builds (once per set of hidden entries; kept in os.tmpdir() and shared by every container and
 * process) an overlay layer of whiteouts that hides the hidden entries. Returns the layer's directory;
 * mount it as `lowerdir=<layer>/usr:/usr`.
 */
export async function buildHostMask(
  hidden: readonly string[],
  parentDir: string = tmpdir(),
): Promise<string> {
  const digest = createHash('sha256').update(hidden.join('\n')).digest('hex').slice(0, 16);
  const layer = path.join(parentDir, `${MASK_PREFIX}${digest}`);
  if (await exists(path.join(layer, 'usr'))) return layer;
  const building = `${layer}.${process.pid}.tmp`;
  await rm(building, { recursive: true, force: true });
  try {
    for (const directory of FILTERED_DIRECTORIES)
      await mkdir(path.join(building, directory), { recursive: true });
    await makeWhiteouts(hidden.map((entry) => path.join(building, entry)));
    await rename(building, layer).catch(async (error: NodeJS.ErrnoException) => {
      // Another process built the same layer first.
      if (!(await exists(path.join(layer, 'usr')))) throw error;
    });
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  return layer;
}

const hostMasks = new Map<string, Promise<string>>();

/**
 * The whiteout layer for this host that keeps `extraFiles` and the image's packages visible
 * (computed once per process and set).
 */
export function hostPackageMask(
  extraFiles: readonly string[],
  packages: readonly string[] = IMAGE_PACKAGES,
): Promise<string> {
  const key = [...extraFiles].sort().join('\0') + '\n' + [...packages].sort().join('\0');
  let mask = hostMasks.get(key);
  if (!mask) {
    mask = hiddenHostEntries({ extraFiles, packages }).then((hidden) => buildHostMask(hidden));
    hostMasks.set(key, mask);
  }
  return mask;
}
