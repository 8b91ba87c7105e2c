import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { trainingAlias } from '../../../../src/targets/targetAlias';
import { verifyEffectiveConfig } from '../../../../src/ssh/config/effectiveConfig';
import {
  SshConfigConflictError,
  SshConfigNotReadError,
  SshConfigSyntaxError,
  SshNotFoundError,
} from '../../../../src/ssh/config/errors';
import { BLOCK_BEGIN } from '../../../../src/ssh/config/includeBlock';
import type { ManagedHost } from '../../../../src/ssh/config/managedConfig';
import type { ProcessRunner } from '../../../../src/ssh/config/processRunner';
import { opensshHomeDir, sshConfigPaths } from '../../../../src/ssh/config/sshConfigPaths';
import type { SshConfigPaths } from '../../../../src/ssh/config/sshConfigPaths';
import { SshConfigStore } from '../../../../src/ssh/config/sshConfigStore';
import { useTempDir } from '../../../support/tempDir';

const JOB = trainingAlias('Job-A');

describe('effective config check with real ssh -G', () => {
  const tmp = useTempDir();
  let paths: SshConfigPaths;
  let store: SshConfigStore;
  let host: ManagedHost;
  const home = (): string => path.join(tmp(), 'home');

  beforeEach(async () => {
    paths = sshConfigPaths({
      homeDir: home(),
      configFileSetting: path.join(tmp(), 'ssh config dir', 'config'),
    });
    store = new SshConfigStore({ paths, platform: 'posix' });
    await fs.mkdir(path.dirname(paths.userConfig), { recursive: true });
    await fs.writeFile(
      paths.userConfig,
      '# mine\nHost *\n  User bob\n  ProxyCommand /bin/false\n  IdentityFile ~/.ssh/id_work\n  StrictHostKeyChecking no\n',
    );
    host = await store.upsertHost({
      alias: JOB,
      user: 'root',
      identityFile: path.join(tmp(), 'storage with space', 'keys', JOB),
      proxyCommand: ['/opt/VS Code/code', '--ms-enable-electron-run-as-node', '/ext/proxy.js', '%h'],
    });
  });

  const verify = (alias = host, options = {}): Promise<void> =>
    verifyEffectiveConfig({ paths, platform: 'posix', host: alias }, { homeDir: home(), ...options });

  /** Puts `lines` in front of our block, as a user editing the file by hand would. */
  async function prependUserLines(lines: string): Promise<void> {
    await fs.writeFile(paths.userConfig, lines + (await fs.readFile(paths.userConfig, 'utf8')));
  }

  async function conflictOf(promise: Promise<void>): Promise<SshConfigConflictError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof SshConfigConflictError, String(error));
      return error;
    }
    assert.fail('expected a conflict');
  }

  it('passes when our block is at the top, despite a later Host * rule', async () => {
    await verify();
    await verify((await store.getHost('sagemaker-training'))!);
  });

  it('names the Host * line that overrides ProxyCommand, User and StrictHostKeyChecking', async () => {
    await prependUserLines(
      'Host *\n  ProxyCommand /usr/bin/corp-proxy %h %p\n  User bob\n  StrictHostKeyChecking no\n',
    );
    const error = await conflictOf(verify());
    const byOption = new Map(error.conflicts.map((c) => [c.option, c]));
    assert.deepEqual([...byOption.keys()].sort(), ['ProxyCommand', 'StrictHostKeyChecking', 'User']);
    assert.deepEqual(byOption.get('ProxyCommand')?.source, {
      file: paths.userConfig,
      line: 2,
      text: 'ProxyCommand /usr/bin/corp-proxy %h %p',
      certain: true,
    });
    assert.equal(byOption.get('ProxyCommand')?.actual, '/usr/bin/corp-proxy %h %p');
    assert.equal(byOption.get('User')?.source?.line, 3);
    assert.match(error.message, /ProxyCommand is "\/usr\/bin\/corp-proxy %h %p" instead of/);
    assert.match(error.message, /line 2: "ProxyCommand \/usr\/bin\/corp-proxy %h %p"/);
    assert.match(error.message, /Host \* !\*\.sagemaker !sagemaker-training !sagemaker-studio/);
    assert.deepEqual(error.actions[0].args, [paths.userConfig]);
  });

  it('finds an overriding line inside an included file', async () => {
    const included = path.join(tmp(), 'conf.d', 'corp.conf');
    await fs.mkdir(path.dirname(included), { recursive: true });
    await fs.writeFile(
      included,
      '# corp\nHost *.sagemaker\n  IdentityFile /corp/key\n  UserKnownHostsFile /dev/null\n',
    );
    await prependUserLines(`Include ${path.join(tmp(), 'conf.d', '*.conf')}\n`);
    const error = await conflictOf(verify());
    assert.deepEqual(
      error.conflicts.map((c) => [c.option, c.source?.file, c.source?.line]),
      [
        ['IdentityFile', included, 3],
        ['UserKnownHostsFile', included, 4],
      ],
    );
  });

  it('marks a line guarded by Match exec as uncertain', async () => {
    await prependUserLines('Match exec "true"\n  User bob\n');
    const error = await conflictOf(verify());
    assert.equal(error.conflicts[0].option, 'User');
    assert.equal(error.conflicts[0].source?.certain, false);
    assert.match(error.message, /\(if that rule applies\)/);
  });

  it('reports a ProxyJump that would replace our ProxyCommand', async () => {
    await prependUserLines('Host *\n  ProxyJump bastion.example.com\n');
    const error = await conflictOf(verify());
    assert.deepEqual(error.conflicts.map((c) => c.option).includes('ProxyJump'), true);
    assert.equal(error.conflicts.find((c) => c.option === 'ProxyJump')?.source?.line, 2);
  });

  it('explains when our Include is not read for the host at all', async () => {
    const content = await fs.readFile(paths.userConfig, 'utf8');
    await fs.writeFile(paths.userConfig, `Host only-this-host\n${content.replace(/\n# mine[\s\S]*$/, '\n')}`);
    assert.ok((await fs.readFile(paths.userConfig, 'utf8')).includes(BLOCK_BEGIN));
    const error = await conflictOf(verify());
    assert.equal(error.conflicts.find((c) => c.option === 'ProxyCommand')?.actual, undefined);
    assert.match(error.message, /does not read the SageMaker SSH settings.*outside any Host or Match block/);
    await store.repair();
    await verify();
  });

  it('turns an ssh syntax error into SshConfigSyntaxError with the file and line', async () => {
    const lineCount = (await fs.readFile(paths.userConfig, 'utf8')).split('\n').length - 1;
    await fs.appendFile(paths.userConfig, 'Host x\n  NoSuchOption yes\n');
    await assert.rejects(verify(), (error: unknown) => {
      assert.ok(error instanceof SshConfigSyntaxError);
      assert.deepEqual(error.location, { file: paths.userConfig, line: lineCount + 2 });
      assert.match(error.message, /Bad configuration option: nosuchoption/);
      assert.match(error.message, /Open .*config, fix it/);
      return true;
    });
  });

  it('reports a missing ssh binary', async () => {
    await assert.rejects(verify(host, { sshPath: path.join(tmp(), 'no-ssh-here') }), (error: unknown) => {
      assert.ok(error instanceof SshNotFoundError);
      assert.match(error.message, /ENOENT.*remote\.SSH\.path/);
      return true;
    });
  });

  it('passes -F only for a custom config, as Remote-SSH does', async () => {
    const calls: string[][] = [];
    const recording: ProcessRunner = async (_file, args) => {
      calls.push([...args]);
      return { exitCode: 255, stdout: '', stderr: 'cfg line 1: boom' };
    };
    const defaultPaths = sshConfigPaths({ homeDir: home() });
    await assert.rejects(
      verifyEffectiveConfig({ paths: defaultPaths, platform: 'posix', host }, { runner: recording }),
      SshConfigSyntaxError,
    );
    await assert.rejects(verify(host, { runner: recording }), SshConfigSyntaxError);
    assert.deepEqual(calls, [
      ['-v', '-G', JOB],
      ['-v', '-F', paths.userConfig, '-G', JOB],
    ]);
  });

  it('says which files ssh read when it never reads ours (not "your config overrides")', async () => {
    const passwdPaths = sshConfigPaths({ homeDir: home(), sshHomeDir: '/nonexistent-passwd-home' });
    const runner: ProcessRunner = async () => ({
      exitCode: 0,
      stdout: `host ${JOB}\nhostname ${JOB}\nuser root\nproxycommand none\n`,
      stderr:
        'OpenSSH_9.2p1\ndebug1: Reading configuration data /etc/ssh/ssh_config\n' +
        'debug1: /etc/ssh/ssh_config line 21: Applying options for *\n',
    });
    await assert.rejects(
      verifyEffectiveConfig({ paths: passwdPaths, platform: 'posix', host }, { runner }),
      (error: unknown) => {
        assert.ok(error instanceof SshConfigNotReadError, String(error));
        assert.equal(error.code, 'SSH_CONFIG_NOT_READ');
        assert.deepEqual(error.details.filesRead, ['/etc/ssh/ssh_config']);
        assert.equal(error.details.userConfig, '/nonexistent-passwd-home/.ssh/config');
        assert.ok(error.message.includes('ssh read only /etc/ssh/ssh_config, not /nonexistent-passwd-home'));
        assert.ok(error.message.includes(`not from $HOME (${home()})`), error.message);
        assert.ok(error.message.includes('remote.SSH.configFile'), error.message);
        return true;
      },
    );
  });

  it('knows ssh read the user config when ssh spells its path differently (no "read only …, not …")', async () => {
    const passwdPaths = sshConfigPaths({ homeDir: home(), sshHomeDir: '/passwd-home' });
    const runner: ProcessRunner = async () => ({
      exitCode: 0,
      stdout: `host ${JOB}\nhostname ${JOB}\nuser root\nproxycommand none\n`,
      stderr: 'debug1: Reading configuration data /passwd-home//.ssh/./config\n',
    });
    await assert.rejects(
      verifyEffectiveConfig({ paths: passwdPaths, platform: 'posix', host }, { runner }),
      (error: unknown) => {
        assert.ok(error instanceof SshConfigNotReadError, String(error));
        assert.equal(error.details.userConfigRead, true);
        assert.ok(
          error.message.includes('ssh read /passwd-home/.ssh/config but not the Include line'),
          error.message,
        );
        return true;
      },
    );
  });

  describe('when $HOME is not the passwd home (npm run demo, sudo -E, CI)', () => {
    // The real ssh, run with HOME pointing at the temp home: it still reads the passwd home's config.
    const withHome: ProcessRunner = (file, args, options) =>
      new Promise((resolve) => {
        execFile(
          file,
          [...args],
          { encoding: 'utf8', timeout: options.timeoutMs, env: { ...process.env, HOME: home() } },
          (error, stdout, stderr) =>
            resolve({
              exitCode: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
              stdout,
              stderr,
            }),
        );
      });

    it('works with remote.SSH.configFile set to the default path under $HOME ("~/.ssh/config")', async () => {
      const demo = sshConfigPaths({
        homeDir: home(),
        sshHomeDir: opensshHomeDir(),
        configFileSetting: '~/.ssh/config',
      });
      assert.notEqual(
        demo.userConfig,
        path.join(demo.sshHomeDir, '.ssh', 'config'),
        'this test needs HOME != the passwd home',
      );
      const demoStore = new SshConfigStore({ paths: demo, platform: 'posix' });
      const demoHost = await demoStore.upsertHost({
        alias: JOB,
        user: 'root',
        identityFile: path.join(tmp(), 'keys', JOB),
        proxyCommand: ['/opt/code', '/ext/proxy.js', '%h'],
      });
      await verifyEffectiveConfig({ paths: demo, platform: 'posix', host: demoHost }, { runner: withHome });
      const direct = await new Promise<string>((resolve) =>
        execFile(
          'ssh',
          [...demo.sshArgs, '-G', 'sagemaker-training'],
          { env: { ...process.env, HOME: home() } },
          (_e, out) => resolve(out),
        ),
      );
      assert.match(direct, /^proxycommand \/opt\/code \/ext\/proxy\.js/m);
    });

    it('names the file ssh really reads when the host went to $HOME/.ssh/config without -F', async () => {
      // What the extension did before: the default config under $HOME, and ssh run without -F.
      const wrong = { ...sshConfigPaths({ homeDir: home() }), sshHomeDir: opensshHomeDir() };
      const wrongStore = new SshConfigStore({ paths: wrong, platform: 'posix' });
      const wrongHost = await wrongStore.upsertHost({
        alias: JOB,
        user: 'root',
        identityFile: path.join(tmp(), 'keys', JOB),
        proxyCommand: ['/opt/code', '/ext/proxy.js', '%h'],
      });
      await assert.rejects(
        verifyEffectiveConfig({ paths: wrong, platform: 'posix', host: wrongHost }, { runner: withHome }),
        (error: unknown) => {
          assert.ok(error instanceof SshConfigNotReadError, String(error));
          assert.ok(!error.details.filesRead.includes(wrong.userConfig));
          assert.ok(
            error.message.includes(`not ${wrong.userConfig} where the host was written`),
            error.message,
          );
          return true;
        },
      );
    });
  });
});
