import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { runShellScript, shellScriptLine } from '../../../src/connect/shellScript';
import type { ShellScriptRequest } from '../../../src/connect/shellScript';
import { eventually } from '../../support/wait';
import { useTempDir } from '../../support/tempDir';
import { LocalShellAgents } from './support/localShellAgent';

describe('runShellScript (a script through an SSM shell session)', function () {
  this.timeout(20_000);
  const tempDir = useTempDir();
  let agents: LocalShellAgents;

  beforeEach(() => {
    agents = new LocalShellAgents();
  });
  afterEach(async () => agents.close());

  const run = (
    request: Partial<ShellScriptRequest> & { script: string },
  ): ReturnType<typeof runShellScript> =>
    runShellScript({
      api: agents,
      target: 'sagemaker-training-job:Job_algo-2',
      purpose: 'Testing',
      ...request,
    });

  it('runs the script on the target, returns its output and ends the session on the service', async () => {
    const result = await run({ script: 'echo one\necho two >&2\nexit 0' });
    assert.equal(result.output, 'one\ntwo\n');
    assert.equal(result.truncated, false);
    assert.deepEqual(agents.targets, ['sagemaker-training-job:Job_algo-2']);
    assert.deepEqual(agents.terminated, [result.sessionId]);
  });

  it('hands data to the script as variables, byte for byte, whatever they contain', async () => {
    const hostile = `it's "$(touch ${path.join(tempDir(), 'pwned')})" \`id\` $HOME; exit 9 \\ ! *`;
    const result = await run({
      script: 'printf "[%s]\\n" "$KEY"; printf "[%s]\\n" "$PORT"',
      data: { KEY: hostile, PORT: '2222' },
    });
    assert.equal(result.output, `[${hostile}]\n[2222]\n`);
    assert.equal(existsSync(path.join(tempDir(), 'pwned')), false, 'nothing in the data ran');
  });

  it('a failing script gives ShellScriptFailed with its exit status and last lines', async () => {
    await assert.rejects(
      run({ script: 'echo working\necho "no sshd here" >&2\nexit 3' }),
      (error: unknown) => {
        const failed = error as { code?: string; exitCode?: number; message: string };
        assert.equal(failed.code, 'ShellScriptFailed');
        assert.equal(failed.exitCode, 3);
        assert.match(failed.message, /no sshd here/);
        assert.match(failed.message, /sagemaker-training-job:Job_algo-2/);
        return true;
      },
    );
    assert.equal(agents.terminated.length, 1, 'the session is ended on the service after a failure too');
  });

  it('set -e in the script ends only the script, with its status', async () => {
    await assert.rejects(
      run({ script: 'set -eu\nfalse\necho never' }),
      (error: unknown) => (error as { exitCode?: number }).exitCode === 1,
    );
  });

  it('the script cannot read the rest of our input: its stdin is /dev/null', async () => {
    const result = await run({ script: 'cat; echo "read: $(wc -c)"' });
    assert.equal(result.output, 'read: 0\n');
  });

  it('runs on a session started elsewhere (sagemaker:StartSession) and ends it', async () => {
    const started = await agents.startSession({ Target: 'arn:aws:sagemaker:us-east-1:1:space/d/s' });
    const result = await run({ target: { started, name: 'space s' }, script: 'echo in-space' });
    assert.equal(result.output, 'in-space\n');
    assert.deepEqual(agents.terminated, [started.SessionId]);
  });

  it('keeps at most maxOutputBytes and says it truncated', async () => {
    const result = await run({ script: 'printf "%0100d" 0', maxOutputBytes: 10 });
    assert.equal(result.output, '0000000000');
    assert.equal(result.truncated, true);
  });

  it('a session that ends before the script reported gives ShellScriptSessionEnded with what it printed', async () => {
    agents.refuseWith = 'Unable to start command: exec: "sh": not found\r\n';
    await assert.rejects(run({ script: 'echo hi' }), (error: unknown) => {
      const ended = error as { code?: string; message: string };
      assert.equal(ended.code, 'ShellScriptSessionEnded');
      assert.match(ended.message, /Unable to start command/);
      return true;
    });
  });

  it('an abort ends the session and rejects with Cancelled', async () => {
    const marker = path.join(tempDir(), 'started');
    const controller = new AbortController();
    const running = run({
      script: 'touch "$MARKER"; sleep 30; echo finished',
      data: { MARKER: marker },
      signal: controller.signal,
    });
    await eventually(() => existsSync(marker), 'the script to start');
    controller.abort();
    await assert.rejects(running, (error: unknown) => (error as { code?: string }).code === 'Cancelled');
    assert.equal(agents.terminated.length, 1);
  });

  it('an already aborted signal starts no session', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      run({ script: 'echo hi', signal: controller.signal }),
      (error: unknown) => (error as { code?: string }).code === 'Cancelled',
    );
    assert.deepEqual(agents.targets, []);
  });

  it('refuses a data name that is not a shell variable name', () => {
    assert.throws(
      () => shellScriptLine('true', { 'A;B': 'x' }),
      (error: unknown) => (error as { code?: string }).code === 'InvalidScriptDataName',
    );
  });

  it('the line carries data and script only as base64 in single quotes', () => {
    const line = shellScriptLine('echo "$X"', { X: "'; reboot; '" });
    assert.ok(!line.includes('reboot'));
    assert.ok(!line.includes('echo "$X"'));
    assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'), 'one line');
  });
});
