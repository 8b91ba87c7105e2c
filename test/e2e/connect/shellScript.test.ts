import * as assert from 'node:assert/strict';
import { runShellScript } from '../../../src/connect/shellScript';
import { SsmApi } from '../../../src/ssm/ssmApi';
import { silentLogger } from '../../../src/util/logger';
import { AwsAccess } from '../../../src/aws/awsAccess';
import { readSharedConfig } from '../../../src/aws/sharedConfig';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { cliHome } from '../cli/cliHarness';
import type { CliHome } from '../cli/cliHarness';

/**
 * runShellScript against AWS's amazon-ssm-agent in a simulated container: the agent runs the shell
 * on a pty, so this checks the preamble, the one-line script and the exit status end to end.
 */
describe('runShellScript against AWS agent in a simulated container', function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let cli: CliHome;
  let api: SsmApi;
  let instanceId: string;
  const savedEnv: Record<string, string | undefined> = {};

  before(async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('Script-Job', {
      status: 'InProgress',
      creationTime: '-5m',
      ssh: { nodes: 1, owner: me.userId },
    });
    emulator = await startEmulator({ scenario: b.build() });
    cli = cliHome(emulator);
    // The SDK resolves credentials from process.env, as the CLI does from the temporary HOME's files.
    for (const name of ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED']) {
      savedEnv[name] = process.env[name];
      process.env[name] = cli.env[name];
    }
    const connection = await new AwsAccess({
      logger: silentLogger,
      env: cli.env,
      readConfig: () =>
        readSharedConfig({
          configFile: cli.env.AWS_CONFIG_FILE,
          credentialsFile: cli.env.AWS_SHARED_CREDENTIALS_FILE,
        }),
    }).connect({ surface: 'cli' });
    api = await SsmApi.forConnection(connection);
    const node = emulator.containers.nodes().find((candidate) => candidate.host === 'algo-1');
    assert.ok(node?.instanceId, 'algo-1 is registered');
    instanceId = node.instanceId;
  });
  after(async () => {
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await emulator?.close();
    cli?.remove();
  });

  it('runs the script with its data on the pty shell and returns exactly its output', async () => {
    const since = emulator.calls.lastSeq;
    const key = "ssh-ed25519 AAAA'$(reboot)' me@laptop";
    const result = await runShellScript({
      api,
      target: instanceId,
      purpose: 'Testing',
      script: 'hostname\nprintf "%s\\n" "$KEY"\nprintf "%s" "$(printf "%05000d" 0)" | wc -c',
      data: { KEY: key },
    });
    assert.equal(result.output.replace(/^ +/gm, ''), `algo-1\n${key}\n5000\n`);
    assert.equal(emulator.calls.count({ operation: 'StartSession', since }), 1);
    assert.ok(emulator.calls.count({ operation: 'TerminateSession', since }) >= 1);
  });

  it('a failing script gives its exit status and last lines', async () => {
    await assert.rejects(
      runShellScript({ api, target: instanceId, purpose: 'Testing', script: 'echo "no sshd" >&2; exit 4' }),
      (error: { code?: string; exitCode?: number; message: string }) => {
        assert.equal(error.code, 'ShellScriptFailed', error.message);
        assert.equal(error.exitCode, 4);
        assert.match(error.message, /no sshd/);
        return true;
      },
    );
  });
});
