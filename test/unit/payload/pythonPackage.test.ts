import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { useTempDir } from '../../support/tempDir';
import { cleanEnv, copyPackage, oldestPython, run } from './support';

/**
 * The Python entry point (sagemaker_ssh_helper/__init__.py), run by real interpreters against a copy
 * of the package whose sm-setup-ssh is replaced by a recorder, so that the gating is what is tested.
 */
describe('payload: the Python package (setup_and_start_ssh)', () => {
  const tmp = useTempDir();

  async function setup(
    options: { hosts?: string[]; current?: string; exitCode?: number; rawConfig?: string } = {},
  ) {
    const root = await mkdtemp(path.join(tmp(), 'case-'));
    const pkg = await copyPackage(root);
    const record = path.join(root, 'setup-ran');
    await writeFile(
      path.join(pkg, 'sm-setup-ssh'),
      `#!/bin/bash\nprintf '%s\\n' "$0" "$@" >${JSON.stringify(record)}\nexit ${options.exitCode ?? 0}\n`,
    );
    const base = path.join(root, 'opt-ml');
    if (options.rawConfig !== undefined || options.hosts) {
      await mkdir(path.join(base, 'input', 'config'), { recursive: true });
      await writeFile(
        path.join(base, 'input', 'config', 'resourceconfig.json'),
        options.rawConfig ??
          JSON.stringify({
            current_host: options.current,
            hosts: options.hosts,
            network_interface_name: 'eth0',
          }),
      );
    }
    return { root, pkg, record, base };
  }

  function python(
    root: string,
    code: string,
    env: Record<string, string | undefined>,
    interpreter = 'python3',
  ) {
    return run(interpreter, ['-c', code], {
      cwd: root,
      env: cleanEnv({ PYTHONPATH: root, ...env }),
      timeoutMs: 20_000,
    });
  }

  const start =
    'import sagemaker_ssh_helper as h\nh.FAILURE_DELAY_SECONDS = 0.3\nh.setup_and_start_ssh()\nprint("script continues")';

  it('runs bash <package>/sm-setup-ssh when START_SSH=true on rank 0, then returns', async () => {
    const { root, pkg, record, base } = await setup({ hosts: ['algo-1', 'algo-2'], current: 'algo-1' });
    const result = await python(root, start, { START_SSH: 'true', SAGEMAKER_BASE_DIR: base });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((await readFile(record, 'utf8')).trim(), path.join(pkg, 'sm-setup-ssh'));
    assert.match(result.stdout, /\[sagemaker-ssh\] starting SSH on node rank 0 \(SSH_INSTANCE_COUNT=1\)/);
    assert.match(result.stdout, /script continues\n$/);
  });

  it('starts SSH only on nodes whose rank is below SSH_INSTANCE_COUNT (default 1)', async () => {
    const cases: [string, string | undefined, boolean][] = [
      ['algo-2', undefined, false],
      ['algo-2', '1', false],
      ['algo-2', '2', true],
      ['algo-3', '2', false],
      ['algo-1', '0', false],
    ];
    for (const [current, count, expected] of cases) {
      const { root, record, base } = await setup({ hosts: ['algo-1', 'algo-2', 'algo-3'], current });
      const result = await python(root, start, {
        START_SSH: 'true',
        SAGEMAKER_BASE_DIR: base,
        SSH_INSTANCE_COUNT: count,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(existsSync(record), expected, `${current} with SSH_INSTANCE_COUNT=${count}`);
      if (!expected) {
        assert.match(result.stdout, /is not below SSH_INSTANCE_COUNT=\d: not starting SSH on this node/);
      }
    }
  });

  it('treats a missing resourceconfig.json as rank 0, and a broken one as rank 0 with a warning', async () => {
    const missing = await setup();
    const result = await python(missing.root, start, {
      START_SSH: 'true',
      SAGEMAKER_BASE_DIR: path.join(missing.root, 'nowhere'),
    });
    assert.ok(existsSync(missing.record));
    assert.doesNotMatch(result.stdout, /WARNING/);

    const broken = await setup({ rawConfig: '{"current_host": "algo-9", "hosts": ["algo-1"]}' });
    const second = await python(broken.root, start, { START_SSH: 'true', SAGEMAKER_BASE_DIR: broken.base });
    assert.ok(existsSync(broken.record));
    assert.match(
      second.stdout,
      /WARNING: .*resourceconfig.json has no current_host among its hosts; assuming node rank 0/,
    );

    const garbage = await setup({ rawConfig: 'not json' });
    const third = await python(garbage.root, start, { START_SSH: 'true', SAGEMAKER_BASE_DIR: garbage.base });
    assert.ok(existsSync(garbage.record));
    assert.match(third.stdout, /WARNING: cannot read .*resourceconfig.json/);
  });

  it('does nothing unless START_SSH=true, and says why when START_SSH is missing', async () => {
    const { root, record, base } = await setup({ hosts: ['algo-1'], current: 'algo-1' });
    const missing = await python(root, start, { SAGEMAKER_BASE_DIR: base });
    assert.match(missing.stdout, /WARNING: START_SSH is not set, so SSH is not started/);
    const off = await python(root, start, { START_SSH: 'false', SAGEMAKER_BASE_DIR: base });
    assert.match(off.stdout, /START_SSH=false: not starting SSH/);
    assert.equal(existsSync(record), false);
    assert.match(off.stdout, /script continues/);
  });

  it('on failure sleeps FAILURE_DELAY_SECONDS (so logs reach CloudWatch), then re-raises', async () => {
    const { root, base } = await setup({ hosts: ['algo-1'], current: 'algo-1', exitCode: 3 });
    const result = await python(root, start, { START_SSH: 'true', SAGEMAKER_BASE_DIR: base });
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /ERROR: SSH setup failed \(.*exit status 3\.?\); sleeping 0\.3 s so the logs reach CloudWatch/,
    );
    assert.match(result.stderr, /subprocess\.CalledProcessError/);
    assert.doesNotMatch(result.stdout, /script continues/);
    const slept = await python(
      root,
      'import time, sagemaker_ssh_helper as h\nh.FAILURE_DELAY_SECONDS = 1.5\nt = time.monotonic()\ntry:\n    h.setup_and_start_ssh()\nexcept Exception:\n    print("waited %.1f" % (time.monotonic() - t))',
      { START_SSH: 'true', SAGEMAKER_BASE_DIR: base },
    );
    const waited = Number(/waited (\d+\.\d)/.exec(slept.stdout)?.[1]);
    assert.ok(waited >= 1.5, `slept ${waited} s`);
  });

  it('keeps the upstream default of 60 s before re-raising', async () => {
    const { root } = await setup();
    const result = await python(root, 'import sagemaker_ssh_helper as h\nprint(h.FAILURE_DELAY_SECONDS)', {});
    assert.equal(result.stdout.trim(), '60.0');
  });

  it('is_last_session_timeout: False while an ssm-session-worker runs, True once none ran for the period', async () => {
    const { root } = await setup();
    const worker = path.join(root, 'ssm-session-worker');
    await copyFile('/bin/sleep', worker);
    await chmod(worker, 0o755);
    const code = [
      'import time, subprocess',
      'from datetime import timedelta',
      'import sagemaker_ssh_helper as h',
      `worker = subprocess.Popen([${JSON.stringify(worker)}, "30"])`,
      'print(h.is_last_session_timeout(timedelta(seconds=0)))',
      'time.sleep(0.2)',
      'print(h.is_last_session_timeout(timedelta(seconds=0)))',
      'worker.kill()',
      'worker.wait()',
      'print(h.is_last_session_timeout(timedelta(hours=1)))',
      'time.sleep(0.6)',
      'print(h.is_last_session_timeout(timedelta(seconds=0.5)))',
      'print(h.is_last_session_timeout(timedelta(hours=1)))',
    ].join('\n');
    // The helper scans /proc for every ssm-session-worker: give it a PID namespace of its own, so AWS's
    // agents in other tests' containers (and anything else on the host) are not counted.
    const result = await run(
      '/usr/bin/unshare',
      ['--pid', '--fork', '--mount-proc', '--map-root-user', 'python3', '-c', code],
      { cwd: root, env: cleanEnv({ PYTHONPATH: root }), timeoutMs: 20_000 },
    );
    assert.deepEqual(
      result.stdout.trim().split('\n'),
      ['False', 'False', 'False', 'True', 'False'],
      result.stderr,
    );
  });

  it('works unchanged on the oldest supported Python (3.8, when installed)', async () => {
    const interpreter = oldestPython([3, 8]);
    const { root, record, base } = await setup({ hosts: ['algo-1', 'algo-2'], current: 'algo-2' });
    const result = await python(
      root,
      start,
      { START_SSH: 'true', SSH_INSTANCE_COUNT: '2', SAGEMAKER_BASE_DIR: base },
      interpreter,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(record));
  });
  /** A stand-in debugpy module in the package's parent folder: records the calls, listens nowhere. */
  async function fakeDebugpy(root: string): Promise<string> {
    const calls = path.join(root, 'debugpy-calls');
    await writeFile(
      path.join(root, 'debugpy.py'),
      [
        'def _record(line):',
        `    with open(${JSON.stringify(calls)}, "a") as f:`,
        '        f.write(line + "\\n")',
        'def listen(address):',
        '    _record("listen %s %d" % address)',
        'def wait_for_client():',
        '    _record("wait_for_client")',
      ].join('\n') + '\n',
    );
    return calls;
  }

  it('waits for the debugger after starting SSH when SSH_WAIT_FOR_DEBUGGER=true (loopback, port 5678)', async () => {
    const { root, record, base } = await setup({ hosts: ['algo-1'], current: 'algo-1' });
    const calls = await fakeDebugpy(root);
    const result = await python(root, start, {
      START_SSH: 'true',
      SSH_WAIT_FOR_DEBUGGER: 'true',
      SAGEMAKER_BASE_DIR: base,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(record), 'SSH was started first');
    assert.deepEqual((await readFile(calls, 'utf8')).trim().split('\n'), [
      'listen 127.0.0.1 5678',
      'wait_for_client',
    ]);
    assert.match(result.stdout, /debugger attached; training continues\nscript continues/);
  });

  it('takes the port from wait_for_debugger(port=…), else SSH_DEBUGGER_PORT; no wait unless asked', async () => {
    const { root, base } = await setup({ hosts: ['algo-1'], current: 'algo-1' });
    const calls = await fakeDebugpy(root);
    const env = { START_SSH: 'true', SAGEMAKER_BASE_DIR: base, SSH_DEBUGGER_PORT: '6001' };
    assert.equal((await python(root, start, env)).code, 0);
    assert.equal(existsSync(calls), false, 'no SSH_WAIT_FOR_DEBUGGER: no debugpy');
    await python(root, 'import sagemaker_ssh_helper as h\nh.wait_for_debugger()', env);
    await python(root, 'import sagemaker_ssh_helper as h\nh.wait_for_debugger(port=6002)', env);
    assert.deepEqual((await readFile(calls, 'utf8')).trim().split('\n'), [
      'listen 127.0.0.1 6001',
      'wait_for_client',
      'listen 127.0.0.1 6002',
      'wait_for_client',
    ]);
  });

  it('says to pip install debugpy when it is missing, and training goes on', async () => {
    const { root, base } = await setup({ hosts: ['algo-1'], current: 'algo-1' });
    const result = await python(root, start, {
      START_SSH: 'true',
      SSH_WAIT_FOR_DEBUGGER: 'true',
      SAGEMAKER_BASE_DIR: base,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /debugpy is not installed.*pip install debugpy/);
    assert.match(result.stdout, /script continues/);
  });
});
