import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runConfig } from '../../../src/cli/configCommand';
import { sshConfigPaths } from '../../../src/ssh/config/sshConfigPaths';

function capture(): { io: Parameters<typeof runConfig>[1]; stdout: () => string } {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return {
    io: { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: {} },
    stdout: () => text,
  };
}

describe('sm-ssh config without a host', () => {
  let dir: string;
  const realHome = process.env.HOME;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sm-ssh-config-'));
    process.env.HOME = dir;
  });
  afterEach(() => {
    process.env.HOME = realHome;
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the hosts of the config named by --ssh-config, not of ~/.ssh/config', async () => {
    const userConfig = join(dir, 'my_config');
    const { io, stdout } = capture();
    assert.equal(await runConfig(['--ssh-config', userConfig], io), 0);
    const { managedConfig } = sshConfigPaths({ homeDir: dir, configFileSetting: userConfig });
    assert.equal(stdout(), `# ${managedConfig} (included from ${userConfig})\n# no hosts yet\n`);
  });

  it('refuses a flag that only makes sense with a host', async () => {
    const { io } = capture();
    await assert.rejects(runConfig(['--profile', 'p', '--bogus'], io), { code: 'Usage' });
  });
});
