import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me, other, testAccount, testRegion } from '../../builders/scenarioBuilder';
import type { TestingApi } from '../../../src/extension';
import { createHandOff } from '../../../src/vscode/handOff';
import type { SshCommand } from '../../../src/vscode/handOff';
import type { ExplorerNode } from '../../../src/views/nodes/explorerNode';
import { targetAlias } from '../../../src/targets/targetAlias';
import { clearProfileSettings, useEmulatorProfile } from './awsProfile';
import { run, ssh, sshDir, sshOnPath, useSandboxSshConfig, userConfig } from './sshSandbox';
import { jobNode, labelOf, testingApi, treeItems } from './testingApi';

const jobAlias = targetAlias({ kind: 'trainingNode', jobName: 'Bert-Finetune' });
const bucket = `sagemaker-${testRegion}-${testAccount}`;
const denied = { ...other, name: 'nosend', accessKeyId: 'AKIANOSEND', deny: ['ssm:SendCommand'] };

function scenario(): ReturnType<ScenarioBuilder['build']> {
  const b = new ScenarioBuilder();
  b.trainingJob('Bert-Finetune', {
    status: 'InProgress',
    instanceCount: 2,
    creationTime: '-10m',
    environment: { SSH_OWNER_TAG: me.userId },
    ssh: { nodes: 2, owner: me.userId },
  });
  b.trainingJob('no-ssh-job', { status: 'InProgress', creationTime: '-20m' });
  b.trainingJob('offline-job', {
    status: 'InProgress',
    creationTime: '-30m',
    ssh: { owner: me.userId, pingStatus: 'ConnectionLost' },
  });
  b.domain({
    id: 'd-conn0001',
    name: 'research',
    spaces: [
      {
        name: 'team-space',
        apps: [{ type: 'JupyterLab', name: 'default', status: 'InService', ssh: { owner: me.userId } }],
      },
    ],
  });
  return b.identities(me, other, denied).bucket(bucket).build();
}

/**
 * The real handoff with only VS Code's command execution observed: Remote-SSH cannot run here, so
 * the test records the `vscode.openFolder` call a Remote-SSH extension would act on.
 */
class RecordedOpenFolder {
  readonly calls: { command: string; args: unknown[] }[] = [];
  readonly handOff = createHandOff({
    executeCommand: async (command, ...args) => {
      this.calls.push({ command, args });
      return undefined;
    },
    installedRemoteSsh: () => 'ms-vscode-remote.remote-ssh',
  });

  last(): { uri: string; options: unknown } {
    const call = this.calls.at(-1)!;
    assert.strictEqual(call.command, 'vscode.openFolder');
    return { uri: (call.args[0] as vscode.Uri).toString(true), options: call.args[1] };
  }
}

async function lastError(api: TestingApi, before: number): Promise<Error> {
  assert.ok(api.shownErrors.length > before, 'the command showed no error');
  return api.shownErrors[api.shownErrors.length - 1] as Error;
}

describe('Connect and Stop Waiting in the extension host', function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let api: TestingApi;
  const opened = new RecordedOpenFolder();

  before(async () => {
    api = await testingApi();
    api.setHandOff(opened.handOff);
    emulator = await startEmulator({ scenario: scenario() });
    await useEmulatorProfile(emulator, 'me');
    await useSandboxSshConfig({ sshPath: sshOnPath() });
  });
  after(async () => {
    api.setHandOff(undefined);
    await clearProfileSettings();
    await emulator.close();
  });

  it('connects to a training job: key (inline, no S3), pinned host keys, ssh config, handoff', async () => {
    emulator.calls.clear();
    const node = await jobNode(api, 'Bert-Finetune');
    const afterRefresh = emulator.calls.lastSeq;
    const result = (await vscode.commands.executeCommand('sagemakerSsh.connect', node, { quiet: true })) as {
      alias: string;
      handOff: { uri: string };
    };
    assert.ok(result, `connect failed: ${String(api.shownErrors.at(-1))}`);
    const alias = targetAlias({ kind: 'trainingNode', jobName: 'Bert-Finetune' });
    assert.strictEqual(result.alias, alias);
    assert.strictEqual(result.handOff.uri, `vscode-remote://ssh-remote+${alias}/opt/ml/code`);
    assert.deepStrictEqual(opened.last(), {
      uri: `vscode-remote://ssh-remote+${alias}/opt/ml/code`,
      options: { forceNewWindow: true },
    });

    const theirs = fs.readFileSync(userConfig(), 'utf8');
    assert.match(
      theirs,
      /^# --- BEGIN SageMaker SSH[^\n]*\nInclude "[^"]+sagemaker-ssh\/config"\n# --- END SageMaker SSH ---\n/,
    );
    const ours = fs.readFileSync(path.join(sshDir(), 'sagemaker-ssh', 'config'), 'utf8');
    assert.match(ours, new RegExp(`Host ${alias.replace(/\./g, '\\.')}\\n`));
    assert.match(ours, /StrictHostKeyChecking yes/);
    assert.doesNotMatch(ours, /StrictHostKeyChecking no/);
    assert.match(
      ours,
      /ProxyCommand [^\n]*sm-ssh-proxy[^\n]* start-proxy bert-finetune-x-\.training\.sagemaker --state-dir [^\n]* --training-job Bert-Finetune --profile emulator --region us-east-1/,
    );
    assert.match(ours, /Host sagemaker-training\n/);

    const keyFile = path.join(api.stateDir, 'keys', alias);
    assert.strictEqual(fs.statSync(keyFile).mode & 0o777, 0o600);
    const knownHosts = fs.readFileSync(path.join(sshDir(), 'sagemaker-ssh', 'known_hosts'), 'utf8');
    assert.match(knownHosts, new RegExp(`^${alias.replace(/\./g, '\\.')} ssh-ed25519 `, 'm'));

    const operations = emulator.calls.all().map((c) => c.operation);
    for (const op of ['SendCommand', 'GetCommandInvocation']) {
      assert.ok(operations.includes(op), `${op} not called: ${operations.join(', ')}`);
    }
    // The public key travels inline in SendCommand: no S3 object, nothing to clean up.
    for (const op of ['PutObject', 'GetObject', 'DeleteObject']) {
      assert.ok(!operations.includes(op), `${op} called: ${operations.join(', ')}`);
    }
    const connectOperations = emulator.calls.filter({ since: afterRefresh }).map((c) => c.operation);
    assert.ok(
      !connectOperations.includes('DescribeInstanceInformation'),
      `the registration the tree just read is reused: ${connectOperations.join(', ')}`,
    );
  });

  it('lets plain ssh reach the container through our ProxyCommand with host-key checking on', async () => {
    assert.strictEqual(await ssh(jobAlias, 'hostname'), 'algo-1');
    assert.strictEqual(await ssh('sagemaker-training', 'echo $TRAINING_JOB_NAME'), 'Bert-Finetune');
  });

  it('connects to node algo-2 of a two-node job', async () => {
    const job = await jobNode(api, 'Bert-Finetune');
    const nodes = await treeItems(api.explorer.trainingJobs, job);
    const algo2 = nodes.find((n) => labelOf(n.item) === 'algo-2')!;
    const result = (await vscode.commands.executeCommand('sagemakerSsh.connect', algo2.node, {
      quiet: true,
    })) as { alias: string };
    assert.strictEqual(result.alias, `algo-2.${jobAlias}`);
    assert.strictEqual(await ssh(result.alias, 'hostname'), 'algo-2');
  });

  it('without a Remote-SSH extension opens a terminal: remote.SSH.path with -F remote.SSH.configFile', async () => {
    const sshPath = sshOnPath(); // remote.SSH.path, set in before()
    const terminals: { alias: string; ssh: SshCommand; banner: string }[] = [];
    const notices: { message: string; offerInstall: boolean }[] = [];
    api.setHandOff(
      createHandOff({
        executeCommand: () => assert.fail('no Remote-SSH window without a Remote-SSH extension'),
        installedRemoteSsh: () => undefined,
        isWeb: () => false,
        openTerminal: (alias, ssh, banner) => terminals.push({ alias, ssh, banner }),
        notify: (message, offerInstall) => notices.push({ message, offerInstall }),
      }),
    );
    try {
      const job = await jobNode(api, 'Bert-Finetune');
      const result = (await vscode.commands.executeCommand('sagemakerSsh.connect', job)) as {
        alias: string;
        handOff: { kind: string };
      };
      assert.ok(result, `connect failed: ${String(api.shownErrors.at(-1))}`);
      assert.strictEqual(result.handOff.kind, 'terminal');
      assert.deepStrictEqual(
        terminals.map((t) => t.ssh),
        [{ path: sshPath, args: ['-F', userConfig(), jobAlias] }],
      );
      const [{ ssh: command }] = terminals;
      const { stdout } = await run(command.path, [
        ...command.args.slice(0, -1),
        '-o',
        'BatchMode=yes',
        jobAlias,
        'hostname',
      ]);
      assert.strictEqual(stdout.trim(), 'algo-1');
      assert.strictEqual(notices.length, 1);
      assert.match(notices[0].message, /no Remote-SSH extension is installed/);
      assert.strictEqual(notices[0].offerInstall, true);
    } finally {
      api.setHandOff(opened.handOff);
    }
  });

  it('connects to a Studio app as sagemaker-user', async () => {
    await api.explorer.studio.refresh();
    const [domain] = await treeItems(api.explorer.studio);
    const [space] = await treeItems(api.explorer.studio, domain.node);
    const [app] = await treeItems(api.explorer.studio, space.node);
    const result = (await vscode.commands.executeCommand('sagemakerSsh.connect', app.node, {
      quiet: true,
    })) as {
      alias: string;
      handOff: { uri: string };
    };
    assert.strictEqual(result.alias, 'default.team-space.d-conn0001.studio.sagemaker');
    assert.strictEqual(result.handOff.uri, `vscode-remote://ssh-remote+${result.alias}/home/sagemaker-user`);
    assert.strictEqual(await ssh(result.alias, 'whoami'), 'sagemaker-user');
  });

  it('Stop Waiting creates the flag file in the container', async () => {
    const node = await jobNode(api, 'Bert-Finetune');
    const results = (await vscode.commands.executeCommand('sagemakerSsh.stopWaiting', node, {
      confirmed: true,
    })) as {
      node: string;
      ok: boolean;
    }[];
    assert.deepStrictEqual(
      results.map((r) => [r.node, r.ok]),
      [
        ['algo-1', true],
        ['algo-2', true],
      ],
    );
    assert.strictEqual(await ssh(jobAlias, 'test -f /tmp/sm-wait-stopped && echo stopped'), 'stopped');
  });

  describe('bad input: a clear error and nothing written', () => {
    function snapshot(): string {
      const files = ['sandbox_config', 'sagemaker-ssh/config', 'sagemaker-ssh/known_hosts'];
      return files.map((f) => fs.readFileSync(path.join(sshDir(), f), 'utf8')).join('\0');
    }

    async function connectFails(node: ExplorerNode, pattern: RegExp): Promise<void> {
      const before = snapshot();
      const errors = api.shownErrors.length;
      const result = await vscode.commands.executeCommand('sagemakerSsh.connect', node, { quiet: true });
      assert.strictEqual(result, undefined);
      const error = await lastError(api, errors);
      assert.match(error.message, pattern);
      assert.strictEqual(snapshot(), before, 'ssh files changed');
    }

    it('a job without the SSH helper', async () => {
      await vscode.workspace
        .getConfiguration('sagemakerSsh')
        .update('connect.waitTimeoutSeconds', 0, vscode.ConfigurationTarget.Global);
      try {
        await connectFails(await jobNode(api, 'no-ssh-job'), /no SSH helper running.*setup_and_start_ssh/s);
      } finally {
        await vscode.workspace
          .getConfiguration('sagemakerSsh')
          .update('connect.waitTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('an offline instance', async () => {
      await vscode.workspace
        .getConfiguration('sagemakerSsh')
        .update('connect.waitTimeoutSeconds', 0, vscode.ConfigurationTarget.Global);
      try {
        await connectFails(await jobNode(api, 'offline-job'), /is ConnectionLost/);
      } finally {
        await vscode.workspace
          .getConfiguration('sagemakerSsh')
          .update('connect.waitTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('AccessDenied on SendCommand names the IAM action', async () => {
      await useEmulatorProfile(emulator, 'nosend', 'nosend');
      try {
        fs.rmSync(path.join(api.stateDir, 'hosts.json'), { force: true });
        await connectFails(await jobNode(api, 'Bert-Finetune'), /not allowed to call ssm:SendCommand/);
      } finally {
        await useEmulatorProfile(emulator, 'me');
      }
    });

    it('an unreadable ~/.ssh/config', async () => {
      const config = userConfig();
      const original = fs.readFileSync(config, 'utf8');
      const ours = fs.readFileSync(path.join(sshDir(), 'sagemaker-ssh', 'config'), 'utf8');
      fs.rmSync(config);
      fs.mkdirSync(config);
      try {
        fs.rmSync(path.join(api.stateDir, 'hosts.json'), { force: true });
        const errors = api.shownErrors.length;
        const job = await jobNode(api, 'Bert-Finetune');
        assert.strictEqual(
          await vscode.commands.executeCommand('sagemakerSsh.connect', job, { quiet: true }),
          undefined,
        );
        assert.match((await lastError(api, errors)).message, /ssh config|\.ssh\/config/i);
        assert.strictEqual(fs.readFileSync(path.join(sshDir(), 'sagemaker-ssh', 'config'), 'utf8'), ours);
      } finally {
        fs.rmdirSync(config);
        fs.writeFileSync(config, original);
      }
    });
  });

  it('keeps working, byte for byte, next to a user Host * ProxyCommand', async () => {
    const config = userConfig();
    const theirs = `${fs.readFileSync(config, 'utf8')}\nHost *\n  ProxyCommand nc %h %p\n  User nobody\n`;
    fs.writeFileSync(config, theirs);
    const job = await jobNode(api, 'Bert-Finetune');
    const result = (await vscode.commands.executeCommand('sagemakerSsh.connect', job, { quiet: true })) as {
      alias: string;
    };
    assert.ok(result, `connect failed: ${String(api.shownErrors.at(-1))}`);
    assert.strictEqual(fs.readFileSync(config, 'utf8'), theirs);
    assert.strictEqual(await ssh(result.alias, 'whoami'), 'root');
  });
});
