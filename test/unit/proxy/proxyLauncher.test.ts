import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { installProxyLauncher, primeCodeCache, PROXY_RUNTIME_FLAGS } from '../../../src/proxy/proxyLauncher';

const run = promisify(execFile);
const compileCache = path.resolve(__dirname, '../../../src/cli/compileCache.js');

/** A stand-in for dist/: the real compile-cache loader in front of a tiny CLI that prints a version. */
function fakeDist(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'sm-ssh.js'),
    `require(${JSON.stringify(compileCache)}).runWithCompileCache(require('path').join(__dirname, 'sm-ssh-main.js'));\n`,
  );
  writeFileSync(
    path.join(dir, 'sm-ssh-main.js'),
    `console.log(process.argv.includes('--exec-argv') ? JSON.stringify(process.execArgv) : ${JSON.stringify(version)});\n`,
  );
  return path.join(dir, 'sm-ssh.js');
}

describe('connect ProxyCommand launcher', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'smssh-launcher-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const install = (version: string): ReturnType<typeof installProxyLauncher> =>
    installProxyLauncher({
      version,
      runtimePath: process.execPath,
      cliBundle: fakeDist(path.join(dir, `dist-${version}`), version),
      stateDir: path.join(dir, 'state'),
      platform: 'linux',
    });

  it('copies the loader and the main bundle; the launcher runs them on the given runtime', async () => {
    const installed = await install('1.0.0');
    assert.equal(installed.changed, true);
    assert.equal(statSync(installed.launcherPath).mode & 0o777, 0o700);
    assert.ok(existsSync(path.join(dir, 'state', 'bin', 'sm-ssh-main.js')));
    const { stdout } = await run(installed.launcherPath, [installed.cliPath, '--version']);
    assert.equal(stdout.trim(), '1.0.0');
  });

  it('starts the runtime with the proxy flags (a small young generation bounds RSS)', async () => {
    const installed = await install('1.0.0');
    const { stdout } = await run(installed.launcherPath, [installed.cliPath, '--exec-argv']);
    assert.deepEqual(JSON.parse(stdout), [...PROXY_RUNTIME_FLAGS]);
  });

  it('primes the code cache once installed, so the first connection skips compiling', async () => {
    const installed = await install('1.0.0');
    const cache = path.join(dir, 'state', 'bin', 'sm-ssh-main.js.cache');
    assert.equal(existsSync(cache), false);
    assert.equal(await primeCodeCache(installed, process.execPath), true);
    assert.ok(readFileSync(cache).length > 64);
  });

  it('replaces both files on an update and leaves them alone otherwise', async () => {
    await install('1.0.0');
    assert.equal((await install('1.0.0')).changed, false);
    const updated = await install('2.0.0');
    assert.equal(updated.changed, true);
    const { stdout } = await run(updated.launcherPath, [updated.cliPath]);
    assert.equal(stdout.trim(), '2.0.0');
  });

  it('reports a runtime that cannot run the CLI instead of throwing', async () => {
    const installed = await install('1.0.0');
    assert.equal(await primeCodeCache(installed, path.join(dir, 'no-such-runtime')), false);
  });
});
