import * as assert from 'node:assert/strict';
import { UnsupportedConfigPathError, InvalidHostEntryError } from '../../../../src/ssh/config/errors';
import { InvalidProxyCommandError } from '../../../../src/proxy/proxyErrors';
import { parseManagedConfig, renderManagedConfig } from '../../../../src/ssh/config/managedConfig';
import type { ManagedHost } from '../../../../src/ssh/config/managedConfig';

const SETTINGS = { knownHostsFile: '/home/u/.ssh/sagemaker-ssh/known_hosts', platform: 'posix' } as const;
const HEADER =
  '# Managed by the SageMaker SSH extension; rewritten on every connect, so do not edit it.\n' +
  '# Your SSH config includes this file from a marked "SageMaker SSH" block at its top.\n';

const TRAINING: ManagedHost = {
  alias: 'myjob-5-.training.sagemaker',
  hostName: 'myjob-5-.training.sagemaker',
  user: 'root',
  identityFile:
    '/home/u/.config/Code/User/globalStorage/sagemaker-ssh.sagemaker-ssh/ssh-keys/myjob-5-.training.sagemaker',
  proxyCommand: [
    '/opt/VS Code/code',
    '/opt/VS Code/resources/app/ext/dist/proxy.js',
    'proxy',
    '--host',
    '%h',
  ],
};

describe('managed SSH config file (exact bytes)', () => {
  it('renders a header and one block per host', () => {
    const stable: ManagedHost = { ...TRAINING, alias: 'sagemaker-training' };
    const text = renderManagedConfig([stable, TRAINING], SETTINGS);
    const block = (alias: string): string =>
      `Host ${alias}\n` +
      '  HostName myjob-5-.training.sagemaker\n' +
      '  HostKeyAlias myjob-5-.training.sagemaker\n' +
      '  User root\n' +
      `  IdentityFile "${TRAINING.identityFile}"\n` +
      '  IdentitiesOnly yes\n' +
      '  UserKnownHostsFile "/home/u/.ssh/sagemaker-ssh/known_hosts"\n' +
      '  StrictHostKeyChecking yes\n' +
      '  PasswordAuthentication no\n' +
      '  ServerAliveInterval 15\n' +
      '  ServerAliveCountMax 8\n' +
      '  ConnectTimeout 60\n' +
      '  ProxyCommand "/opt/VS Code/code" "/opt/VS Code/resources/app/ext/dist/proxy.js" proxy --host %h\n';
    assert.equal(text, `${HEADER}\n${block('myjob-5-.training.sagemaker')}\n${block('sagemaker-training')}`);
  });

  it('renders just the header when there are no hosts', () => {
    assert.equal(renderManagedConfig([], SETTINGS), HEADER);
  });

  it('quotes words that need it and escapes % in token-expanding paths', () => {
    const host: ManagedHost = {
      ...TRAINING,
      identityFile: "/home/o'brien/100% keys/#1/key",
      proxyCommand: [
        '/usr/bin/node',
        '--flag=value',
        "it's",
        'a#b',
        'ünïcode',
        '(x)',
        'semi;colon',
        '~/home',
        '%n',
        '%p',
        '%r',
      ],
    };
    const text = renderManagedConfig([host], SETTINGS);
    assert.ok(text.includes(`  IdentityFile "/home/o'brien/100%% keys/#1/key"\n`));
    assert.ok(
      text.includes(
        '  ProxyCommand /usr/bin/node "--flag=value" "it\'s" "a#b" "ünïcode" "(x)" "semi;colon" "~/home" %n %p %r\n',
      ),
    );
    assert.deepEqual(parseManagedConfig(text, SETTINGS), { hosts: [host], discarded: false });
  });

  it('writes Windows paths with forward slashes', () => {
    const host: ManagedHost = {
      ...TRAINING,
      identityFile: 'C:\\Users\\Zoë Ünal\\AppData\\Roaming\\Code\\keys\\job',
      proxyCommand: ['C:\\Program Files\\Microsoft VS Code\\Code.exe', 'C:\\ext\\proxy.js', '%h'],
    };
    const text = renderManagedConfig([host], {
      knownHostsFile: 'C:\\Users\\Zoë Ünal\\.ssh\\sagemaker-ssh\\known_hosts',
      platform: 'win32',
    });
    assert.ok(text.includes('  IdentityFile "C:/Users/Zoë Ünal/AppData/Roaming/Code/keys/job"\n'));
    assert.ok(text.includes('  UserKnownHostsFile "C:/Users/Zoë Ünal/.ssh/sagemaker-ssh/known_hosts"\n'));
    assert.ok(
      text.includes(
        '  ProxyCommand "C:\\Program Files\\Microsoft VS Code\\Code.exe" "C:\\ext\\proxy.js" %h\n',
      ),
    );
  });

  it('round-trips through the ssh-config parser', () => {
    const studio: ManagedHost = {
      ...TRAINING,
      alias: 'default.space.d-abc.studio.sagemaker',
      hostName: 'default.space.d-abc.studio.sagemaker',
      user: 'sagemaker-user',
    };
    const text = renderManagedConfig([TRAINING, studio], SETTINGS);
    assert.deepEqual(parseManagedConfig(text, SETTINGS), { hosts: [studio, TRAINING], discarded: false });
  });

  it('drops hand-edited or damaged content when reading our file back', () => {
    const text = renderManagedConfig([TRAINING], SETTINGS);
    assert.deepEqual(parseManagedConfig(`${text}\nHost extra\n  User root\n`, SETTINGS), {
      hosts: [TRAINING],
      discarded: true,
    });
    assert.deepEqual(parseManagedConfig(`Port 22\n${text}`, SETTINGS).discarded, true);
    assert.deepEqual(parseManagedConfig('Host x\n  ProxyCommand "unterminated\n', SETTINGS), {
      hosts: [],
      discarded: true,
    });
    assert.deepEqual(parseManagedConfig(text.replace('User root', 'User $(id)'), SETTINGS), {
      hosts: [],
      discarded: true,
    });
    assert.deepEqual(parseManagedConfig(HEADER, SETTINGS), { hosts: [], discarded: false });
  });

  it('refuses ProxyCommand words a shell or ssh would interpret', () => {
    const bad: Array<[readonly string[], RegExp]> = [
      [[], /no executable/],
      [['/bin/x', ''], /argument 1 is empty/],
      [['/bin/x', '$HOME'], /"\$"/],
      [['/bin/x', '`id`'], /"`"/],
      [['/bin/x', 'say "hi"'], /"\\""/],
      [['/bin/x', 'a!b'], /"!"/],
      [['/bin/x', '100%'], /"%"/],
      [['/bin/x', '%C'], /"%"/],
      [['/bin/x', 'a\\b'], /"\\\\"/],
      [['/bin/x', 'line\nbreak'], /line break/],
      [['/bin/x', 'tab\there'], /control character/],
      [['%h'], /executable cannot be an ssh token/],
    ];
    for (const [argv, reason] of bad) {
      assert.throws(
        () => renderManagedConfig([{ ...TRAINING, proxyCommand: argv }], SETTINGS),
        (e: unknown) => e instanceof InvalidProxyCommandError && reason.test(e.message),
        JSON.stringify(argv),
      );
    }
    assert.throws(
      () =>
        renderManagedConfig([{ ...TRAINING, identityFile: 'C:\\k\\id', proxyCommand: ['C:\\x\\', 'a'] }], {
          platform: 'win32',
          knownHostsFile: 'C:\\k\\known_hosts',
        }),
      { code: 'SSH_INVALID_PROXY_COMMAND' },
    );
  });

  it('refuses paths and names that cannot be written safely', () => {
    for (const identityFile of ['relative/key', '/a"b', '/a\\b', '/${HOME}/k', '/a\nb']) {
      assert.throws(
        () => renderManagedConfig([{ ...TRAINING, identityFile }], SETTINGS),
        UnsupportedConfigPathError,
        identityFile,
      );
    }
    assert.throws(
      () => renderManagedConfig([{ ...TRAINING, user: 'root\n  ProxyCommand x' }], SETTINGS),
      InvalidHostEntryError,
    );
    assert.throws(
      () => renderManagedConfig([{ ...TRAINING, alias: '* !x' }], SETTINGS),
      InvalidHostEntryError,
    );
    assert.throws(
      () => renderManagedConfig([{ ...TRAINING, hostName: 'Upper' }], SETTINGS),
      InvalidHostEntryError,
    );
  });
});
