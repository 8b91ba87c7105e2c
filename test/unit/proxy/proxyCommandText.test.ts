import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { trainingAlias } from '../../../src/targets/targetAlias';
import { sshConfigPaths } from '../../../src/ssh/config/sshConfigPaths';
import { SshConfigStore } from '../../../src/ssh/config/sshConfigStore';
import { run } from '../ssh/helpers/openssh';
import { useTempDir } from '../../support/tempDir';

const RECORDER = `const fs = require('node:fs');
fs.writeFileSync(process.argv[2], JSON.stringify(process.argv.slice(3)));
process.exit(1);
`;

const TRICKY_ARGS = [
  'plain',
  'two words',
  '--flag=value',
  "it's",
  'a#b',
  '#start',
  'semi;colon && echo pwned',
  'pipe|x',
  '(paren)',
  '<in >out',
  '*glob?',
  '~tilde',
  'ünïcode ✓',
  '{a,b}',
];

describe('ProxyCommand argv through real ssh', () => {
  const tmp = useTempDir();
  /** Would create <tmp>/pwned if any shell interpreted it. */
  const injection = (): string => `x'; touch ${tmp()}/pwned; echo '`;

  async function setup(): Promise<{ store: SshConfigStore; recorder: string; out: string; alias: string }> {
    const base = path.join(tmp(), 'dir with spaces');
    await fs.mkdir(base, { recursive: true });
    const recorder = path.join(base, "record argv's.js");
    await fs.writeFile(recorder, RECORDER);
    const paths = sshConfigPaths({
      homeDir: path.join(tmp(), 'home'),
      configFileSetting: path.join(base, 'ssh config'),
    });
    const store = new SshConfigStore({ paths, platform: 'posix' });
    return { store, recorder, out: path.join(base, 'argv out.json'), alias: trainingAlias('MyJob') };
  }

  for (const shell of ['/bin/sh', '/bin/bash']) {
    it(`delivers every argument unchanged when ssh runs it with SHELL=${shell}`, async () => {
      const { store, recorder, out, alias } = await setup();
      await store.upsertHost({
        alias,
        user: 'root',
        identityFile: path.join(tmp(), 'keys', alias),
        proxyCommand: [process.execPath, recorder, out, ...TRICKY_ARGS, injection(), '%h', '%n', '%p', '%r'],
      });
      for (const [typed, expectedN] of [
        [alias, alias],
        ['sagemaker-training', 'sagemaker-training'],
      ]) {
        await fs.rm(out, { force: true });
        const result = await run(
          'ssh',
          ['-F', store.paths.userConfig, '-o', 'BatchMode=yes', typed, 'true'],
          {
            env: { ...process.env, SHELL: shell },
          },
        );
        assert.equal(result.code, 255, result.stderr);
        const argv = JSON.parse(await fs.readFile(out, 'utf8')) as string[];
        assert.deepEqual(argv, [...TRICKY_ARGS, injection(), alias, expectedN, '22', 'root']);
      }
      await assert.rejects(fs.stat(path.join(tmp(), 'pwned')), { code: 'ENOENT' });
    });
  }
});
