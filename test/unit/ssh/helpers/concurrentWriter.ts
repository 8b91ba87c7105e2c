import * as path from 'node:path';
import { HostRegistry } from '../../../../src/connect/hostRegistry';
import { trainingAlias } from '../../../../src/targets/targetAlias';
import { sshConfigPaths } from '../../../../src/ssh/config/sshConfigPaths';
import { SshConfigStore } from '../../../../src/ssh/config/sshConfigStore';
import { SshKeyPair } from '../../../../src/ssh/keys/sshKeyPair';
import { KnownHostsFile } from '../../../../src/ssh/knownHosts/knownHostsFile';

/**
 * A separate process for the locking tests: `node concurrentWriter.js <home> <prefix> <count>`
 * adds `count` hosts named `<prefix>-<i>` to the ssh config, known_hosts and hosts.json under
 * `<home>`, one read-modify-write at a time, as parallel connects do.
 */
async function main(home: string, prefix: string, count: number): Promise<void> {
  const paths = sshConfigPaths({ homeDir: home });
  const store = new SshConfigStore({ paths, platform: 'posix' });
  const knownHosts = new KnownHostsFile({ path: paths.knownHosts });
  const registry = new HostRegistry(path.join(home, 'state'));
  const hostKey = SshKeyPair.generate('root@algo-1').publicKeyLine;
  for (let i = 0; i < count; i++) {
    const alias = trainingAlias(`${prefix}-${i}`);
    await store.upsertHost(
      {
        alias,
        user: 'root',
        identityFile: path.join(home, 'keys', alias),
        proxyCommand: ['/bin/proxy', '%h'],
      },
      { updateStableAlias: false },
    );
    await knownHosts.setHostKeys(alias, [hostKey]);
    await registry.set({
      alias,
      target: { kind: 'trainingNode', jobName: alias },
      instanceId: 'mi-0123456789abcdef0',
      keySha256: 'x',
      updatedAt: new Date().toISOString(),
    });
  }
}

const [home, prefix, count] = process.argv.slice(2);
main(home, prefix, Number(count)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
