import * as assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  buildHostMask,
  hiddenHostEntries,
  hostPackageMask,
  imagePackageClosure,
  parseDpkgStatus,
} from '../hostPackages';
import { createSandbox, removeSandbox, sandboxPathFor } from '../sandbox';

const STATUS = `Package: coreutils
Status: install ok installed
Priority: required
Essential: yes
Pre-Depends: libc6 (>= 2.34)

Package: libc6
Status: install ok installed
Priority: optional
Depends: libgcc-s1

Package: libgcc-s1
Status: install ok installed
Priority: optional

Package: python3
Status: install ok installed
Priority: optional
Depends: python3.11 (>= 3.11.2-1~), libpython3-stdlib (= 3.11.2-1+b1)

Package: python3.11
Status: install ok installed
Priority: optional

Package: libpython3.11-stdlib
Status: install ok installed
Priority: optional
Provides: libpython3-stdlib

Package: openssh-server
Status: install ok installed
Priority: optional
Depends: openssh-client (= 1:9.2p1-2),
 libpam-modules | not-installed-alternative

Package: openssh-client
Status: install ok installed
Priority: optional

Package: libpam-modules
Status: install ok installed
Priority: required

Package: mawk
Status: install ok installed
Priority: required

Package: awscli
Status: install ok installed
Priority: optional
Depends: python3-botocore, python3

Package: python3-botocore
Status: install ok installed
Priority: optional

Package: removed-tool
Status: deinstall ok config-files
Priority: required
`;

const LISTS: Record<string, string[]> = {
  coreutils: ['/.', '/bin', '/bin/ls', '/usr/bin/env'],
  python3: ['/usr/bin/python3'],
  'python3.11': ['/usr/bin/python3.11'],
  'libpython3.11-stdlib': ['/usr/lib/python3/dist-packages'],
  'openssh-server': ['/usr/sbin/sshd'],
  'openssh-client': ['/usr/bin/ssh'],
  mawk: ['/usr/bin/mawk'],
  awscli: ['/usr/bin/aws', '/usr/lib/python3/dist-packages/awscli'],
  'python3-botocore': ['/usr/lib/python3/dist-packages/botocore'],
};

async function fakeRoot(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'sm-host-packages-'));
  await mkdir(path.join(root, 'var/lib/dpkg/info'), { recursive: true });
  await writeFile(path.join(root, 'var/lib/dpkg/status'), STATUS);
  for (const [name, files] of Object.entries(LISTS)) {
    const listName = name === 'python3' ? 'python3:amd64.list' : `${name}.list`;
    await writeFile(path.join(root, 'var/lib/dpkg/info', listName), files.join('\n') + '\n');
  }
  for (const dir of ['usr/bin', 'usr/sbin', 'usr/lib/python3/dist-packages', 'etc/alternatives']) {
    await mkdir(path.join(root, dir), { recursive: true });
  }
  for (const file of ['ls', 'env', 'python3.11', 'ssh', 'mawk', 'aws', 'rg', 'node']) {
    await writeFile(path.join(root, 'usr/bin', file), '');
  }
  await symlink('python3.11', path.join(root, 'usr/bin/python3'));
  // update-alternatives: awk -> /etc/alternatives/awk -> /usr/bin/mawk (absolute, inside the root).
  await symlink(path.join(root, 'usr/bin/mawk'), path.join(root, 'etc/alternatives/awk'));
  await symlink(path.join(root, 'etc/alternatives/awk'), path.join(root, 'usr/bin/awk'));
  await symlink(path.join(root, 'usr/bin/aws'), path.join(root, 'usr/bin/aws2'));
  await writeFile(path.join(root, 'usr/sbin/sshd'), '');
  await writeFile(path.join(root, 'usr/sbin/local-daemon'), '');
  for (const dir of ['awscli', 'botocore', 'pip_installed_by_hand']) {
    await mkdir(path.join(root, 'usr/lib/python3/dist-packages', dir));
  }
  return root;
}

describe('containers: host packages hidden from simulated containers', () => {
  let root: string;
  before(async () => (root = await fakeRoot()));
  after(async () => rm(root, { recursive: true, force: true }));

  it('reads installed packages only, with dependencies, alternatives and provides', () => {
    const installed = parseDpkgStatus(STATUS);
    assert.equal(installed.has('removed-tool'), false);
    assert.deepEqual(installed.get('openssh-server')!.depends, [
      ['openssh-client'],
      ['libpam-modules', 'not-installed-alternative'],
    ]);
    assert.deepEqual(installed.get('libpython3.11-stdlib')!.provides, ['libpython3-stdlib']);
  });

  it('takes the base image, the image packages and their dependencies, and nothing else', () => {
    const closure = imagePackageClosure(parseDpkgStatus(STATUS), ['python3', 'openssh-server']);
    assert.deepEqual(
      [...closure].sort(),
      [
        'coreutils',
        'libc6',
        'libgcc-s1',
        'libpam-modules',
        'libpython3.11-stdlib',
        'mawk',
        'openssh-client',
        'openssh-server',
        'python3',
        'python3.11',
      ].sort(),
    );
  });

  it('hides what no image package ships, keeping merged-/usr paths, alternatives and the extra files', async () => {
    const hidden = await hiddenHostEntries({
      root,
      packages: ['python3', 'openssh-server'],
      extraFiles: ['/usr/bin/node'],
    });
    assert.deepEqual(hidden, [
      '/usr/bin/aws',
      '/usr/bin/aws2',
      '/usr/bin/rg',
      '/usr/sbin/local-daemon',
      '/usr/lib/python3/dist-packages/awscli',
      '/usr/lib/python3/dist-packages/botocore',
      '/usr/lib/python3/dist-packages/pip_installed_by_hand',
    ]);
  });

  it('builds one whiteout layer per set of hidden entries and reuses it', async () => {
    const hidden = ['/usr/bin/aws', '/usr/lib/python3/dist-packages/awscli'];
    const layer = await buildHostMask(hidden, root);
    for (const entry of hidden) {
      const stats = await lstat(path.join(layer, entry));
      assert.ok(stats.isCharacterDevice() && stats.rdev === 0, `${entry} is a whiteout`);
    }
    assert.equal(await buildHostMask(hidden, root), layer);
    assert.notEqual(await buildHostMask(['/usr/bin/rg'], root), layer);
  });

  it('masks the host for the extra files asked for, whatever an earlier sandbox asked for', async () => {
    // A sandbox for a test's fake runtime must not decide what every later container sees.
    const [entry] = await hiddenHostEntries();
    assert.ok(entry, 'the host has nothing beyond the image to hide');
    const plain = await hostPackageMask([]);
    const keeping = await hostPackageMask([entry]);
    assert.ok((await lstat(path.join(plain, entry))).isCharacterDevice(), `${entry} is hidden`);
    await assert.rejects(lstat(path.join(keeping, entry)), { code: 'ENOENT' });
  });

  it("keeps the stand-in agent's runtime where a fresh /usr/local (or /opt, /root, /tmp) would hide it", async () => {
    // A node installed under /usr/local/bin (or here, /tmp) is linked into the container at its path.
    const runtime = path.join(root, 'node-under-a-fresh-directory');
    await writeFile(runtime, '#!/bin/sh\n', { mode: 0o755 });
    const link = path.join(root, 'node-link');
    await symlink(runtime, link);
    const sandbox = await createSandbox({ id: 'runtime-probe', hostname: 'algo-1', parentDir: root }, [
      link,
      '/agent/main.js',
    ]);
    try {
      const placed = await stat(sandboxPathFor(sandbox.dir, runtime));
      assert.equal(placed.ino, (await stat(runtime)).ino);
      const standIn = await readFile(sandboxPathFor(sandbox.dir, '/usr/local/bin/amazon-ssm-agent'), 'utf8');
      assert.match(standIn, new RegExp(`^exec ${runtime} /agent/main.js "\\$@"$`, 'm'));
    } finally {
      await removeSandbox(sandbox.dir);
    }
  });
});
