import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { AwsAccess } from '../../../src/aws/awsAccess';
import type { AwsConnection } from '../../../src/aws/awsAccess';
import { cliConfigPaths, defaultStateDir } from '../../../src/cli/cliEnvironment';
import { cliProxyInstall } from '../../../src/proxy/cliProxyInstall';
import { prepareSshHost } from '../../../src/connect/prepareSshHost';
import type { HostRequest } from '../../../src/connect/prepareSshHost';
import { listStudioOwnerEntries } from '../../../src/explorer/studioEntries';
import { listTrainingJobEntries } from '../../../src/explorer/trainingJobEntries';
import { studioAppTarget, trainingNodeTarget } from '../../../src/targets/sshTarget';
import { targetAlias } from '../../../src/targets/targetAlias';
import { listPayloadResourceEntries } from '../../../src/explorer/payloadResourceEntries';
import { payloadNodeTarget, payloadResourceTarget } from '../../../src/targets/payloadResource';
import type { PayloadResourceType } from '../../../src/targets/payloadResource';
import { silentLogger } from '../../../src/util/logger';
import { useAwsEnvironment } from '../../builders/awsEnvironment';
import { ScenarioBuilder, me, testAccount, testRegion } from '../../builders/scenarioBuilder';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { cliHome, cliPath } from '../cli/cliHarness';
import type { CliHome } from '../cli/cliHarness';

const run = promisify(execFile);
const domainId = 'd-samehost01';
const owner = { owner: me.userId };

/** What the extension's Connect acts on for each kind of row: nodeTargetOf maps tree rows to these. */
type TreeRow = (connection: AwsConnection) => Promise<Pick<HostRequest, 'target' | 'seen'>>;

async function trainingRow(connection: AwsConnection, job: string, node: string): ReturnType<TreeRow> {
  const { entries } = await listTrainingJobEntries(connection, { filters: {}, pageSize: 100, pages: 1 });
  const entry = entries.find((e) => e.job.name === job)!;
  const seen = { nodes: entry.readiness.nodes.filter((n) => n.name === node), checkedAt: Date.now() };
  // A job row connects to algo-1; a node row (SshNodeNode) to its node.
  return { target: trainingNodeTarget(job, node === 'algo-1' ? undefined : node), seen };
}

async function studioRow(connection: AwsConnection, ownerName: string, appType: string): ReturnType<TreeRow> {
  const owners = await listStudioOwnerEntries(connection, domainId, { showDeleted: false });
  const entry = owners
    .flatMap((o) => o.apps)
    .find((a) => a.app.ownerName === ownerName && a.app.appType === appType)!;
  return { target: studioAppTarget(entry.app), seen: entry.readiness };
}

async function payloadRow(
  connection: AwsConnection,
  type: PayloadResourceType,
  name: string,
  node: string | undefined,
): ReturnType<TreeRow> {
  const entries = await listPayloadResourceEntries(connection, type);
  const entry = entries.find((e) => e.resource.name === name)!;
  // No node name: the only node (a notebook's local-mode container, named algo-1-<random>).
  const found =
    node === undefined ? entry.readiness.nodes[0]! : entry.readiness.nodes.find((n) => n.name === node)!;
  // A node row (SshNodeNode of a payload resource) connects to its node.
  return {
    target: payloadNodeTarget(payloadResourceTarget(type, name), found.name),
    seen: { nodes: [found], checkedAt: Date.now() },
  };
}

const kinds: readonly { name: string; alias: string; user: string; row: TreeRow }[] = [
  {
    name: 'a training job (algo-1)',
    alias: targetAlias({ kind: 'trainingNode', jobName: 'Same-Job' }),
    user: 'root',
    row: (c) => trainingRow(c, 'Same-Job', 'algo-1'),
  },
  {
    name: 'a node of a training job (algo-2)',
    alias: targetAlias({ kind: 'trainingNode', jobName: 'Same-Job', node: 2 }),
    user: 'root',
    row: (c) => trainingRow(c, 'Same-Job', 'algo-2'),
  },
  {
    name: 'a JupyterLab app in a space',
    alias: `default.team-space.${domainId}.studio.sagemaker`,
    user: 'sagemaker-user',
    row: (c) => studioRow(c, 'team-space', 'JupyterLab'),
  },
  {
    name: 'a Code Editor app in a space',
    alias: `default.codeeditor.team-space.${domainId}.studio.sagemaker`,
    user: 'sagemaker-user',
    row: (c) => studioRow(c, 'team-space', 'CodeEditor'),
  },
  {
    // The regression: sm-ssh wrote User sagemaker-user here, the extension root (the app runs as root).
    name: 'a Studio Classic app in a user profile',
    alias: `kgw-1.kernelgateway.alice.${domainId}.studio.sagemaker`,
    user: 'root',
    row: (c) => studioRow(c, 'alice', 'KernelGateway'),
  },
  {
    name: 'a node of a processing job (algo-2, registered as upstream does: no SSHHost)',
    alias: targetAlias(payloadResourceTarget('processing', 'Same-Prep', 2)),
    user: 'root',
    row: (c) => payloadRow(c, 'processing', 'Same-Prep', 'algo-2'),
  },
  {
    name: "a notebook instance's local-mode container",
    alias: 'same-nb.notebook.sagemaker',
    user: 'root',
    row: (c) => payloadRow(c, 'notebook', 'same-nb', undefined),
  },
];

/**
 * The CLI (`sm-ssh config <alias>`, a real process) and the extension's Connect path (the row the
 * tree lists → prepareSshHost, in process) write the same ssh host, byte for byte, for every kind of
 * target: one HOME, one installation, one state dir, each starting from no config.
 */
describe('the CLI and the extension write the same ssh host for every kind of target', function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let cli: CliHome;
  // The in-process side reads the same HOME and AWS config as the CLI process.
  useAwsEnvironment(() => {
    const { HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE } = cli.env;
    return {
      HOME: HOME!,
      AWS_CONFIG_FILE: AWS_CONFIG_FILE!,
      AWS_SHARED_CREDENTIALS_FILE: AWS_SHARED_CREDENTIALS_FILE!,
    };
  });

  before(async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('Same-Job', {
      status: 'InProgress',
      instanceCount: 2,
      creationTime: '-5m',
      ssh: { ...owner, nodes: 2 },
    });
    b.domain({
      id: domainId,
      name: 'same-host',
      userProfiles: [
        { name: 'alice', apps: [{ type: 'KernelGateway', name: 'kgw-1', status: 'InService', ssh: owner }] },
      ],
      spaces: [
        {
          name: 'team-space',
          apps: [
            { type: 'JupyterLab', name: 'default', status: 'InService', ssh: owner },
            { type: 'CodeEditor', name: 'default', status: 'InService', ssh: owner },
          ],
        },
      ],
    });
    const built = b.build({ s3: { buckets: [{ name: `sagemaker-${testRegion}-${testAccount}` }] } });
    emulator = await startEmulator({
      scenario: {
        ...built,
        sagemaker: {
          ...built.sagemaker,
          processingJobs: [{ name: 'Same-Prep', instanceCount: 2, ssh: { ...owner, nodes: 2 } }],
          notebookInstances: [{ name: 'same-nb', ssh: owner }],
        },
      },
    });
    cli = cliHome(emulator);
  });
  after(async () => {
    await emulator?.close();
    cli?.remove();
  });

  for (const kind of kinds) {
    it(`${kind.name}: ${kind.alias}`, async () => {
      rmSync(cli.managedConfig, { force: true });
      const configured = await cli.run(['config', kind.alias]);
      assert.equal(configured.code, 0, configured.stderr);
      const fromCli = readFileSync(cli.managedConfig);

      rmSync(cli.managedConfig, { force: true });
      const connection = await new AwsAccess({ logger: silentLogger }).connect({});
      const stateDir = defaultStateDir(cli.env);
      const prepared = await prepareSshHost(
        {
          connection,
          install: cliProxyInstall(stateDir, [process.execPath, cliPath]),
          configPaths: cliConfigPaths({}, cli.env),
          logger: silentLogger,
        },
        { ...(await kind.row(connection)), waitSeconds: 0 },
      );
      const fromExtension = readFileSync(cli.managedConfig);

      assert.equal(prepared.alias, kind.alias);
      assert.equal(prepared.host.user, kind.user);
      assert.match(
        fromCli.toString('utf8'),
        new RegExp(`^Host ${kind.alias.replace(/\./g, '\\.')}\\n(?:  .*\\n)*  User ${kind.user}\\n`, 'm'),
      );
      assert.equal(fromExtension.toString('utf8'), fromCli.toString('utf8'));
      assert.ok(fromExtension.equals(fromCli), 'the two files differ in bytes');
      // And the user is the one the container has: ssh through the host logs in.
      const { stdout } = await run(
        'ssh',
        ['-F', cli.userConfig, '-o', 'BatchMode=yes', kind.alias, 'whoami'],
        {
          env: cli.env,
          timeout: 60_000,
        },
      );
      assert.equal(stdout.trim(), kind.user);
    });
  }
});
