import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { opensshHomeDir, sshConfigPaths } from '../../../../src/ssh/config/sshConfigPaths';

// $HOME overridden (as `npm run demo` and some sudo/CI set-ups do): OpenSSH still uses the passwd home.
const home = '/tmp/demo-home';
const passwdHome = '/root';

describe('sshConfigPaths: the config file OpenSSH really reads', () => {
  it('without a setting, writes to ~/.ssh/config of the passwd home, not $HOME, and passes no -F', () => {
    const paths = sshConfigPaths({ homeDir: home, sshHomeDir: passwdHome });
    assert.equal(paths.userConfig, '/root/.ssh/config');
    assert.deepEqual(paths.sshArgs, []);
    assert.equal(paths.customUserConfig, false);
    assert.equal(paths.managedConfig, '/tmp/demo-home/.ssh/sagemaker-ssh/config');
    assert.equal(paths.knownHosts, '/tmp/demo-home/.ssh/sagemaker-ssh/known_hosts');
  });

  it('passes -F whenever remote.SSH.configFile is set, also to the default path (as Remote-SSH does)', () => {
    for (const setting of ['~/.ssh/config', '/tmp/demo-home/.ssh/config', ' ~/.ssh//config ']) {
      const paths = sshConfigPaths({ homeDir: home, sshHomeDir: passwdHome, configFileSetting: setting });
      assert.equal(paths.userConfig, '/tmp/demo-home/.ssh/config', setting);
      assert.deepEqual(paths.sshArgs, ['-F', '/tmp/demo-home/.ssh/config'], setting);
      assert.equal(paths.customUserConfig, true, setting);
    }
    const same = sshConfigPaths({
      homeDir: passwdHome,
      sshHomeDir: passwdHome,
      configFileSetting: '~/.ssh/config',
    });
    assert.deepEqual(same.sshArgs, ['-F', '/root/.ssh/config']);
  });

  it('normalises the setting: ~, .., duplicate slashes, relative to $HOME', () => {
    const of = (setting: string): string =>
      sshConfigPaths({ homeDir: home, sshHomeDir: passwdHome, configFileSetting: setting }).userConfig;
    assert.equal(of('~/x/../.ssh/config'), '/tmp/demo-home/.ssh/config');
    assert.equal(of('/etc//ssh/../ssh/my_config'), '/etc/ssh/my_config');
    assert.equal(of('cfg/ssh_config'), '/tmp/demo-home/cfg/ssh_config');
    assert.equal(of('   '), '/root/.ssh/config');
  });

  it('defaults the OpenSSH home to $HOME when not given (callers on one home)', () => {
    assert.equal(sshConfigPaths({ homeDir: home }).userConfig, '/tmp/demo-home/.ssh/config');
  });

  it('opensshHomeDir takes the passwd entry, and falls back to $HOME without one', () => {
    assert.equal(
      opensshHomeDir(() => ({ homedir: '/home/real' })),
      '/home/real',
    );
    assert.equal(
      opensshHomeDir(() => {
        throw Object.assign(new Error('no passwd entry'), { code: 'ENOENT' });
      }),
      os.homedir(),
    );
    assert.equal(opensshHomeDir(), os.userInfo().homedir);
  });
});
