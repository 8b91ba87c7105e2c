import { strict as assert } from 'node:assert';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { SSMClient, StartSessionCommand } from '@aws-sdk/client-ssm';
import type { TempDir } from './support/files';
import { makeTempDir } from './support/files';
import type { AgentWorld } from './support/agentWorld';
import { NO_CHANNEL_TARGET, OFFLINE_TARGET, startAgentWorld } from './support/agentWorld';
import type { ProcessResult } from './support/sshRunner';
import { bannerProbe } from './support/sshRunner';

function assertExit(result: ProcessResult, code: number, message: RegExp): void {
  assert.equal(result.code, code, `exit ${result.code}: ${result.stderr}`);
  assert.match(result.stderr, message);
  assert.equal(result.stdout.length, 0, 'nothing on stdout when there is no tunnel');
}

/** Every session here goes to AWS's amazon-ssm-agent in a simulated container, through the emulator's relay. */
describe('e2e: sm-ssh command line', function () {
  this.timeout(60_000);
  let world: AgentWorld;
  let dir: TempDir;
  let SSH_TARGET: string;

  before(async () => {
    world = await startAgentWorld('sm-ssh');
    SSH_TARGET = world.target;
    dir = await makeTempDir('sm-ssh-cli-');
  });

  after(async () => {
    await world?.close();
    await dir?.remove();
  });

  afterEach(() => {
    assert.deepEqual(world.sessions.violations(), []);
    assert.equal(world.sessions.all().length, 0, 'no fake agent took part');
  });

  describe('errors and exit codes', () => {
    it('exits 3 when the target is not connected', async () => {
      assertExit(
        await world.cli(['ssm-proxy', '--target', OFFLINE_TARGET]),
        3,
        /mi-0fedcba9876543210 is not connected/,
      );
      // Online by its heartbeats, but no agent to take the session: not a fake agent either.
      assertExit(
        await world.cli(['ssm-proxy', '--target', NO_CHANNEL_TARGET]),
        3,
        /mi-0aaaaaaaaaaaaaaaa is not connected/,
      );
    });

    it('exits 4 when StartSession is denied', async () => {
      const result = await world.cli(['ssm-proxy', '--target', SSH_TARGET], {
        env: world.envAs('no-sessions'),
      });
      assertExit(result, 4, /not allowed to call ssm:StartSession/);
    });

    it('exits 9 for a document that does not exist', async () => {
      const result = await world.cli(['ssm-proxy', '--target', SSH_TARGET, '--document', 'No-Such-Document']);
      assertExit(result, 9, /InvalidDocument/);
    });

    it('exits 2 on usage errors', async () => {
      assertExit(await world.cli(['ssm-proxy']), 2, /--target is required/);
      assertExit(
        await world.cli(['ssm-forward', '--target', SSH_TARGET, '--remote-port', '99999']),
        2,
        /port number/,
      );
    });

    it('exits 5 with a clear message when the session timed out and cannot be resumed', async () => {
      const input = new PassThrough();
      // The container sshd's banner on stdout: the session is open and data flows (AWS's agent is
      // past its handshake).
      let tunnelled!: () => void;
      const open = new Promise<void>((resolve) => (tunnelled = resolve));
      const run = world.cli(['ssm-proxy', '--target', SSH_TARGET], { input, onStdout: () => tunnelled() });
      await open;
      const relay = world.lastRelay();
      assert.equal(relay.isClosed, false);
      // The service forgets the session (ResumeSession answers an empty token) and the client's socket
      // drops; AWS's agent is still at the other end.
      world.sessions.expire(relay.sessionId);
      relay.disconnectClient('abrupt');
      const result = await run;
      assert.equal(result.code, 5, result.stderr);
      assert.match(result.stderr, /timed out/);
    });
  });

  describe('session-manager-plugin contract', () => {
    async function startSession(
      documentName = 'AWS-StartSSHSession',
    ): Promise<{ SessionId: string; TokenValue: string; StreamUrl: string }> {
      const client = new SSMClient({
        endpoint: world.emulator.endpoint,
        region: world.emulator.state.region,
        credentials: world.emulator.credentials('developer'),
      });
      const output = await client.send(
        new StartSessionCommand({
          Target: SSH_TARGET,
          DocumentName: documentName,
          Parameters: documentName === 'AWS-StartSSHSession' ? { portNumber: ['22'] } : undefined,
        }),
      );
      client.destroy();
      return { SessionId: output.SessionId!, TokenValue: output.TokenValue!, StreamUrl: output.StreamUrl! };
    }

    const request = (): string =>
      JSON.stringify({
        Target: SSH_TARGET,
        DocumentName: 'AWS-StartSSHSession',
        Parameters: { portNumber: ['22'] },
      });

    it('accepts the response JSON as argv[1]', async () => {
      const response = JSON.stringify(await startSession());
      const probe = bannerProbe();
      const result = await world.cli(
        [response, 'us-east-1', 'StartSession', '', request(), world.emulator.endpoint],
        probe,
      );
      assert.equal(result.code, 0, result.stderr);
      assert.match(probe.stdout().toString('latin1'), /^SSH-2\.0-OpenSSH/);
    });

    it('reads the response from AWS_SSM_START_SESSION_RESPONSE', async () => {
      const probe = bannerProbe();
      const env = {
        ...world.envAs('developer'),
        AWS_SSM_START_SESSION_RESPONSE: JSON.stringify(await startSession()),
      };
      const args = [
        'AWS_SSM_START_SESSION_RESPONSE',
        'us-east-1',
        'StartSession',
        'default',
        request(),
        world.emulator.endpoint,
      ];
      const result = await world.cli(args, { ...probe, env });
      assert.equal(result.code, 0, result.stderr);
      assert.match(probe.stdout().toString('latin1'), /^SSH-2\.0-OpenSSH/);
    });

    it('exits 6 when the started session is not a Port session (a shell)', async () => {
      const response = JSON.stringify(await startSession('SSM-SessionManagerRunShell'));
      const shellRequest = JSON.stringify({ Target: SSH_TARGET, DocumentName: 'SSM-SessionManagerRunShell' });
      const result = await world.cli([
        response,
        'us-east-1',
        'StartSession',
        '',
        shellRequest,
        world.emulator.endpoint,
      ]);
      // AWS's agent runs a shell without a handshake: its first output says what the session is.
      assertExit(result, 6, /started a shell session \(Standard_Stream/);
    });
  });

  describe('--use-plugin', () => {
    it('hands the started session to session-manager-plugin with the AWS CLI argv contract', async () => {
      const record = dir.file('plugin-call.json');
      const plugin = dir.file('fake-session-manager-plugin');
      await writeFile(
        plugin,
        `#!/usr/bin/env node\nrequire('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ argv: process.argv.slice(2), response: process.env.AWS_SSM_START_SESSION_RESPONSE }));\nprocess.exit(17);\n`,
      );
      await chmod(plugin, 0o755);
      const since = world.emulator.calls.lastSeq;
      const result = await world.cli([
        'ssm-proxy',
        '--target',
        SSH_TARGET,
        '--use-plugin',
        '--plugin-path',
        plugin,
      ]);
      assert.equal(result.code, 17, 'the plugin exit status is passed through');
      const call = JSON.parse(await readFile(record, 'utf8')) as { argv: string[]; response: string };
      assert.equal(call.argv.length, 6);
      assert.deepEqual(call.argv.slice(0, 4), [
        'AWS_SSM_START_SESSION_RESPONSE',
        'us-east-1',
        'StartSession',
        '',
      ]);
      assert.deepEqual(JSON.parse(call.argv[4]), {
        Target: SSH_TARGET,
        DocumentName: 'AWS-StartSSHSession',
        Parameters: { portNumber: ['22'] },
      });
      assert.equal(call.argv[5], world.emulator.endpoint);
      const response = JSON.parse(call.response) as Record<string, string>;
      assert.ok(world.sessions.relay(response.SessionId), 'the plugin got the session we started');
      assert.ok(response.TokenValue && response.StreamUrl.includes('/v1/data-channel/'));
      // Once the plugin has exited, the session is ended on the service, not left to time out.
      assert.equal(world.emulator.calls.count({ operation: 'TerminateSession', since }), 1);
    });

    it('terminates the started session when the plugin is not installed', async () => {
      const since = world.emulator.calls.lastSeq;
      const result = await world.cli([
        'ssm-proxy',
        '--target',
        SSH_TARGET,
        '--use-plugin',
        '--plugin-path',
        dir.file('missing-plugin'),
      ]);
      assertExit(result, 1, /was not found/);
      assert.equal(world.emulator.calls.count({ operation: 'TerminateSession', since }), 1);
    });
  });
});
