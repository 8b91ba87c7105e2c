import * as assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { PAYLOAD_ROOT, oldestPython, run } from './support';

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== '__pycache__') found.push(...(await filesUnder(full)));
    else if (entry.isFile()) found.push(full);
  }
  return found.sort();
}

async function withShebang(pattern: RegExp): Promise<string[]> {
  const result: string[] = [];
  for (const file of await filesUnder(PAYLOAD_ROOT)) {
    const firstLine = (await readFile(file, 'utf8')).split('\n', 1)[0];
    if (pattern.test(firstLine)) result.push(file);
  }
  return result;
}

describe('payload: the container scripts in media/remote', () => {
  it('are all shellcheck clean (bash scripts and the sourced library)', async function () {
    this.timeout(60_000);
    const scripts = await withShebang(/^#!\/bin\/(ba)?sh\b/);
    const names = scripts.map((file) => path.basename(file));
    for (const expected of [
      'sm-setup-ssh',
      'sm-save-env',
      'sm-init-ssm',
      'sm-wait',
      'sm-ssh-ide',
      'sm-helper-functions',
      'studio-lifecycle-config.sh',
    ]) {
      assert.ok(names.includes(expected), `${expected} is checked`);
    }
    const result = await run('shellcheck', ['--external-sources', '--severity=style', ...scripts], {
      cwd: path.join(PAYLOAD_ROOT, 'sagemaker_ssh_helper'),
      timeoutMs: 60_000,
    });
    assert.equal(result.code, 0, `shellcheck found problems:\n${result.stdout}${result.stderr}`);
  });

  it('parse with bash -n', async () => {
    for (const script of await withShebang(/^#!\/bin\/bash\b/)) {
      const result = await run('bash', ['-n', script]);
      assert.equal(result.code, 0, `${script}: ${result.stderr}`);
    }
  });

  it('include Python that compiles with the oldest Python 3 available (3.6 or later)', async () => {
    const pythons = await withShebang(/^#!\/usr\/bin\/env python3\b/);
    pythons.push(path.join(PAYLOAD_ROOT, 'sagemaker_ssh_helper', '__init__.py'));
    const source = pythons.map(
      (file) => `compile(open(${JSON.stringify(file)}).read(), ${JSON.stringify(file)}, 'exec')`,
    );
    const result = await run(oldestPython([3, 6]), ['-c', source.join('\n')]);
    assert.equal(result.code, 0, result.stderr);
  });

  it('are executable in the repository (users who copy the folder keep the bits)', async () => {
    for (const script of await withShebang(/^#!/)) {
      const mode = (await stat(script)).mode;
      assert.equal(mode & 0o111, 0o111, `${script} is not executable (mode ${mode.toString(8)})`);
    }
  });
});
