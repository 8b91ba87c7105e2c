import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../src/cli/cliEnvironment';
import { ExitCode, exitCodeOfError } from '../../../src/cli/exitCodes';
import { UsageError } from '../../../src/cli/cliErrors';
import { runSmSsh } from '../../../src/cli/runSmSsh';
import { AccessDeniedError } from '../../../src/aws/awsErrors';
import {
  ConnectionLostError,
  HandshakeTimeoutError,
  InvalidSessionRequestError,
  NotAShellSessionError,
  ResumeDeniedError,
  SessionClosedByServiceError,
  SessionTimedOutError,
  TargetNotConnectedError,
} from '../../../src/ssm/sessionErrors';
import { CLIENT_VERSION } from '../../../src/ssm/version';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough().on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const err = new PassThrough().on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const io: CliIo = { stdin: new PassThrough(), stdout: out, stderr: err, env };
  const code = await runSmSsh(args, io);
  return { code, stdout, stderr };
}

describe('sm-ssh dispatcher', () => {
  it('prints one usage for every command, with the exit codes, for no arguments and for help', async () => {
    for (const args of [[], ['help'], ['--help'], ['-h']]) {
      const result = await run(args);
      assert.equal(result.code, ExitCode.Ok, args.join(' '));
      assert.match(result.stdout, /sm-ssh start-proxy <host>/);
      assert.match(result.stdout, /sm-ssh ssm-proxy {3}--target/);
      assert.match(result.stdout, /StartSession <profile> <request-json> <ssm-endpoint>/);
      assert.match(result.stdout, /Exit codes: 0 ok/);
    }
  });

  it('prints the client version', async () => {
    for (const args of [['version'], ['--version']]) {
      assert.deepEqual(await run(args), { code: 0, stdout: `${CLIENT_VERSION}\n`, stderr: '' });
    }
  });

  it('exits 2 for an unknown command and says where the usage is', async () => {
    const result = await run(['nope']);
    assert.equal(result.code, ExitCode.Usage);
    assert.match(result.stderr, /^sm-ssh: Unknown command "nope"\. Run "sm-ssh --help"/);
    assert.equal(result.stdout, '');
  });

  it("takes session-manager-plugin's 6 arguments as the plugin contract", async () => {
    const result = await run(['{not json', 'us-east-1', 'StartSession', '', '{}', '']);
    assert.equal(result.code, ExitCode.Usage);
    assert.match(result.stderr, /The StartSession response argument is not valid JSON/);
  });

  it('exits 2 for a session command without its required flags', async () => {
    assert.equal((await run(['ssm-proxy'])).code, ExitCode.Usage);
    assert.equal((await run(['ssm-forward', '--target', 'mi-1'])).code, ExitCode.Usage);
  });

  it('refuses an unknown log level on every command instead of ignoring it', async () => {
    for (const args of [
      ['ssm-proxy', '--target', 'mi-1', '--log-level', 'loud'],
      ['start-proxy', 'my-job.training.sagemaker', '--log-level', 'loud'],
      ['logs', 'my-job', '--log-level', 'loud'],
    ]) {
      const result = await run(args);
      assert.equal(result.code, ExitCode.Usage, args.join(' '));
      assert.match(result.stderr, /Unknown log level "loud"/);
    }
  });
});

describe('sm-ssh exit codes', () => {
  it('maps each error code to its exit status from one table', () => {
    const cases: Array<[unknown, number]> = [
      [new UsageError('x'), 2],
      [new TargetNotConnectedError('mi-1'), 3],
      [new AccessDeniedError('ssm:StartSession', 'denied', undefined), 4],
      [new ResumeDeniedError('s-1', 'denied'), 4],
      [new SessionTimedOutError('s-1'), 5],
      [new HandshakeTimeoutError('s-1', 10), 6],
      [new NotAShellSessionError('s-1', 'stream'), 6],
      [new ConnectionLostError('s-1', 'gone'), 7],
      [new SessionClosedByServiceError('s-1', 'bye'), 8],
      [new InvalidSessionRequestError('InvalidDocument', 'no'), 9],
      [new Error('anything else'), 1],
    ];
    for (const [error, code] of cases) {
      assert.equal(exitCodeOfError(error), code, (error as Error).constructor.name);
    }
  });
});

describe('sm-ssh loads each command on first use', () => {
  /** The node_modules packages a real `sm-ssh <args>` process loaded before it exited. */
  function packagesLoadedBy(args: string[]): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'smssh-modules-'));
    try {
      const record = join(dir, 'record.cjs');
      const list = join(dir, 'modules.json');
      writeFileSync(
        record,
        `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));\n`,
      );
      const entry = join(__dirname, '../../../src/cli/smSsh.js');
      spawnSync(process.execPath, ['--require', record, entry, ...args], {
        env: { PATH: process.env.PATH, HOME: dir, AWS_CONFIG_FILE: join(dir, 'none') },
        encoding: 'utf8',
      });
      const files = JSON.parse(readFileSync(list, 'utf8')) as string[];
      const packages = files.flatMap((file) => {
        const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
        return match ? [match[1]!] : [];
      });
      return [...new Set(packages)].sort();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('--version loads no AWS SDK, WebSocket or SSH library', () => {
    assert.deepEqual(packagesLoadedBy(['--version']), []);
  });

  it('start-proxy (every ssh connection runs one) loads neither the SSH library nor the SageMaker or S3 clients', () => {
    const loaded = packagesLoadedBy(['start-proxy', 'not-a-host']);
    assert.ok(loaded.length > 0, 'start-proxy loaded nothing: the check would pass vacuously');
    for (const heavy of ['ssh2', '@aws-sdk/client-sagemaker', '@aws-sdk/client-s3']) {
      assert.ok(!loaded.includes(heavy), `start-proxy loaded ${heavy}: ${loaded.join(', ')}`);
    }
  });
});
