import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { trainingAlias } from '../../../src/targets/targetAlias';
import { verifyEffectiveConfig } from '../../../src/ssh/config/effectiveConfig';
import { sshConfigPaths } from '../../../src/ssh/config/sshConfigPaths';
import type { SshConfigPaths } from '../../../src/ssh/config/sshConfigPaths';
import { SshConfigStore } from '../../../src/ssh/config/sshConfigStore';
import { SshKeyStore } from '../../../src/ssh/keys/keyStore';
import { KnownHostsFile } from '../../../src/ssh/knownHosts/knownHostsFile';
import { run, startSshd } from './helpers/openssh';
import type { RunningSshd } from './helpers/openssh';
import { useSuiteTempDir } from '../../support/tempDir';

const TCP_PROXY = `const net = require('node:net');
const socket = net.connect(Number(process.argv[3]), process.argv[2]);
process.stdin.pipe(socket);
socket.pipe(process.stdout);
socket.on('close', () => process.exit(0));
socket.on('error', () => process.exit(1));
`;

describe('end to end: our key, known_hosts and config against a real sshd', () => {
  const tmp = useSuiteTempDir();
  const alias = trainingAlias('E2E-Job');
  let sshd: RunningSshd;
  let paths: SshConfigPaths;

  before(async () => {
    sshd = await startSshd(tmp());
    const base = path.join(tmp(), 'Global Storage');
    await fs.mkdir(base, { recursive: true });
    const proxyScript = path.join(base, 'tcp proxy.js');
    await fs.writeFile(proxyScript, TCP_PROXY);
    paths = sshConfigPaths({
      homeDir: path.join(tmp(), 'home'),
      configFileSetting: path.join(tmp(), 'home', '.ssh', 'vscode config'),
    });
    await fs.mkdir(path.dirname(paths.userConfig), { recursive: true });
    await fs.writeFile(
      paths.userConfig,
      'Host *\n  User nobody\n  ProxyCommand /bin/false\n  StrictHostKeyChecking no\n',
    );

    const key = await new SshKeyStore({ directory: path.join(base, 'ssh-keys') }).ensureKey(alias);
    await fs.writeFile(sshd.authorizedKeysFile, `${key.keyPair.publicKeyLine}\n`);
    await new KnownHostsFile({ path: paths.knownHosts }).setHostKeys(alias, [sshd.hostPublicKey]);
    await new SshConfigStore({ paths }).upsertHost({
      alias,
      user: os.userInfo().username,
      identityFile: key.privateKeyPath,
      proxyCommand: [process.execPath, proxyScript, '127.0.0.1', String(sshd.port), '%h'],
    });
  });

  after(async () => {
    await sshd?.stop();
  });

  const sshTrue = (host: string): ReturnType<typeof run> =>
    run('ssh', ['-F', paths.userConfig, '-o', 'BatchMode=yes', host, 'echo', 'connected-as', '$(id -un)']);

  it('ssh <alias> logs in through the ProxyCommand with our key and the pinned host key', async () => {
    const result = await sshTrue(alias);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), `connected-as ${os.userInfo().username}`);
  });

  it('ssh [paths.sshArgs] <alias> logs in with $HOME pointing elsewhere than the passwd home (npm run demo)', async () => {
    const env = { ...process.env, HOME: path.join(tmp(), 'home') };
    assert.notEqual(env.HOME, os.userInfo().homedir);
    const result = await run('ssh', [...paths.sshArgs, '-o', 'BatchMode=yes', alias, 'echo', 'in'], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'in');
  });

  it('the stable alias reaches the same host with the same pinned key', async () => {
    const result = await sshTrue('sagemaker-training');
    assert.equal(result.code, 0, result.stderr);
    assert.equal((await fs.readFile(paths.knownHosts, 'utf8')).split('\n')[0].split(' ')[0], alias);
  });

  it('ssh -G confirms our options win', async () => {
    const store = new SshConfigStore({ paths });
    await verifyEffectiveConfig({ paths, platform: store.platform, host: (await store.getHost(alias))! });
  });

  it('fails closed when the pinned host key is wrong', async () => {
    const known = new KnownHostsFile({ path: paths.knownHosts });
    const original = (await known.hostKeys(alias)).map((k) => k.line);
    const impostor = (await new SshKeyStore({ directory: path.join(tmp(), 'other') }).ensureKey('impostor'))
      .keyPair.publicKeyLine;
    await known.setHostKeys(alias, [impostor]);
    try {
      const result = await sshTrue(alias);
      assert.equal(result.code, 255);
      assert.match(result.stderr, /Host key verification failed/);
    } finally {
      await known.setHostKeys(alias, original);
    }
  });
});
