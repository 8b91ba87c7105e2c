import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator';
import type { Emulator, SimulatedContainer } from '../../emulator';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import type { TestingApi } from '../../../src/extension';
import type { TransferOutcome } from '../../../src/commands/transferFiles';
import { targetAlias } from '../../../src/targets/targetAlias';
import type { RemotePathQuestion, ReportProgress, TransferUi } from '../../../src/vscode/transferUi';
import { clearProfileSettings, useEmulatorProfile } from './awsProfile';
import { sshOnPath, useSandboxSshConfig } from './sshSandbox';
import { jobNode, testingApi } from './testingApi';

const MiB = 1024 * 1024;
const alias = targetAlias({ kind: 'trainingNode', jobName: 'files-job' });

/**
 * Answers Download… / Upload…'s dialogs and records what the user would see; the transfer behind it
 * is the real one. `cancelAtPercent` presses Cancel once the notification reached that percentage.
 */
class AnsweringUi implements TransferUi {
  remotePath: string | undefined;
  saveAs: vscode.Uri | undefined;
  folder: vscode.Uri | undefined;
  uploads: vscode.Uri[] | undefined;
  cancelAtPercent: number | undefined;
  readonly asked: string[] = [];
  readonly questions: RemotePathQuestion[] = [];
  readonly notifications: { message: string; actions: string[] }[] = [];
  readonly percents: number[] = [];

  askRemotePath(question: RemotePathQuestion): Promise<string | undefined> {
    this.asked.push('remotePath');
    this.questions.push(question);
    return Promise.resolve(this.remotePath);
  }
  chooseSaveFile(): Promise<vscode.Uri | undefined> {
    this.asked.push('saveFile');
    return Promise.resolve(this.saveAs);
  }
  chooseFolder(): Promise<vscode.Uri | undefined> {
    this.asked.push('folder');
    return Promise.resolve(this.folder);
  }
  chooseUploads(): Promise<readonly vscode.Uri[] | undefined> {
    this.asked.push('uploads');
    return Promise.resolve(this.uploads);
  }
  async withProgress<T>(
    _title: string,
    task: (report: ReportProgress, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    let percent = 0;
    this.percents.push(0);
    return task((_message, increment) => {
      percent += increment;
      this.percents[this.percents.length - 1] = percent;
      if (this.cancelAtPercent !== undefined && percent >= this.cancelAtPercent) controller.abort();
    }, controller.signal);
  }
  notify(message: string, ...actions: string[]): Promise<string | undefined> {
    this.notifications.push({ message, actions });
    return Promise.resolve(undefined);
  }
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('Download… and Upload… in the extension host', function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let api: TestingApi;
  let container: SimulatedContainer;
  let local: string;
  let ui: AnsweringUi;

  const remoteSha = async (file: string): Promise<string> => {
    const result = await container.exec(`sha256sum ${file}`);
    assert.strictEqual(result.code, 0, result.stderr);
    return result.stdout.split(' ')[0]!;
  };
  const run = async (command: string, arg: unknown): Promise<TransferOutcome | undefined> =>
    (await vscode.commands.executeCommand(command, arg)) as TransferOutcome | undefined;

  before(async () => {
    api = await testingApi();
    const b = new ScenarioBuilder();
    b.trainingJob('files-job', { status: 'InProgress', creationTime: '-10m', ssh: { owner: me.userId } });
    emulator = await startEmulator({ scenario: b.build() });
    await useEmulatorProfile(emulator, 'me');
    await useSandboxSshConfig({ sshPath: sshOnPath() });
    container = emulator.containers.nodes().find((n) => n.resourceName === 'files-job')!.container;
    const made = await container.exec(
      'mkdir -p /tmp/dl/tree/sub /tmp/up && head -c 3145728 /dev/urandom > /tmp/dl/file.bin && ' +
        'echo one > /tmp/dl/tree/one.txt && head -c 200000 /dev/urandom > /tmp/dl/tree/sub/two.bin && ' +
        'head -c 16777216 /dev/urandom > /tmp/dl/big.bin',
    );
    assert.strictEqual(made.code, 0, made.stderr);
    local = fs.mkdtempSync(path.join(os.tmpdir(), 'sm-ssh-transfer-host-'));
  });
  beforeEach(() => {
    ui = new AnsweringUi();
    api.setTransferUi(ui);
  });
  after(async () => {
    api.setTransferUi(undefined);
    await clearProfileSettings();
    await emulator.close();
    fs.rmSync(local, { recursive: true, force: true });
  });

  it('downloads a file: asks the path (prefilled with /opt/ml/model), then where to save it; SHA-256 equal', async () => {
    ui.remotePath = '/tmp/dl/file.bin';
    ui.saveAs = vscode.Uri.file(path.join(local, 'file.bin'));
    const outcome = await run('sagemakerSsh.download', await jobNode(api, 'files-job'));
    assert.ok(outcome, `Download… failed: ${String(api.shownErrors.at(-1))}`);
    assert.deepStrictEqual(ui.asked, ['remotePath', 'saveFile']);
    assert.strictEqual(ui.questions[0]!.value, '/opt/ml/model');
    assert.deepStrictEqual(outcome.targets, [ui.saveAs.fsPath]);
    assert.strictEqual(sha256(ui.saveAs.fsPath), await remoteSha('/tmp/dl/file.bin'));
    assert.deepStrictEqual(ui.percents.at(-1), 100);
    const done = ui.notifications.at(-1)!;
    assert.match(
      done.message,
      new RegExp(`^Downloaded 1 file \\(3\\.0 MiB\\) from ${alias} in \\d+\\.\\d s$`),
    );
    assert.deepStrictEqual(done.actions, ['Reveal in Explorer', 'Open']);
  });

  it('downloads a folder with everything in it into the folder chosen', async () => {
    ui.remotePath = '/tmp/dl/tree';
    ui.folder = vscode.Uri.file(local);
    const outcome = await run('sagemakerSsh.download', await jobNode(api, 'files-job'));
    assert.ok(outcome, `Download… failed: ${String(api.shownErrors.at(-1))}`);
    assert.deepStrictEqual(ui.asked, ['remotePath', 'folder']);
    assert.deepStrictEqual(outcome.targets, [path.join(local, 'tree')]);
    assert.strictEqual(outcome.files, 2);
    assert.strictEqual(fs.readFileSync(path.join(local, 'tree', 'one.txt'), 'utf8'), 'one\n');
    assert.strictEqual(
      sha256(path.join(local, 'tree', 'sub', 'two.bin')),
      await remoteSha('/tmp/dl/tree/sub/two.bin'),
    );
    assert.match(ui.notifications.at(-1)!.message, /^Downloaded 2 files /);
  });

  it('uploads files and folders (multi-select) into a remote folder; SHA-256 equal', async () => {
    const folder = path.join(local, 'upload-src');
    fs.mkdirSync(path.join(folder, 'inner'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'inner', 'data.bin'), Buffer.alloc(5 * MiB, 7));
    const single = path.join(local, 'single.txt');
    fs.writeFileSync(single, 'hello container\n');
    ui.uploads = [vscode.Uri.file(folder), vscode.Uri.file(single)];
    ui.remotePath = '/tmp/up';
    const outcome = await run('sagemakerSsh.upload', await jobNode(api, 'files-job'));
    assert.ok(outcome, `Upload… failed: ${String(api.shownErrors.at(-1))}`);
    assert.deepStrictEqual(ui.asked, ['uploads', 'remotePath']);
    assert.strictEqual(ui.questions[0]!.value, '/root', 'the login user’s home folder');
    assert.deepStrictEqual(outcome.targets, ['/tmp/up/upload-src', '/tmp/up/single.txt']);
    assert.strictEqual(
      await remoteSha('/tmp/up/upload-src/inner/data.bin'),
      sha256(path.join(folder, 'inner', 'data.bin')),
    );
    assert.strictEqual(await remoteSha('/tmp/up/single.txt'), sha256(single));
    assert.match(
      ui.notifications.at(-1)!.message,
      new RegExp(`^Uploaded 2 files \\(5\\.0 MiB\\) to ${alias} in `),
    );
  });

  it('Cancel mid-transfer leaves nothing under the target name and says the next run resumes', async () => {
    ui.remotePath = '/tmp/dl/big.bin';
    ui.saveAs = vscode.Uri.file(path.join(local, 'big.bin'));
    ui.cancelAtPercent = 30;
    const outcome = await run('sagemakerSsh.download', await jobNode(api, 'files-job'));
    assert.ok(outcome?.cancelled, `not cancelled: ${String(api.shownErrors.at(-1))}`);
    assert.ok(!fs.existsSync(ui.saveAs.fsPath), 'nothing under the target name');
    assert.ok(fs.existsSync(`${ui.saveAs.fsPath}.sm-ssh-partial`), 'the partial file stays for a resume');
    assert.match(ui.notifications.at(-1)!.message, /^Download cancelled\. Nothing was written .*resumes\.$/);

    ui.cancelAtPercent = undefined;
    const again = await run('sagemakerSsh.download', await jobNode(api, 'files-job'));
    assert.ok(again && !again.cancelled, `the second run failed: ${String(api.shownErrors.at(-1))}`);
    assert.strictEqual(sha256(ui.saveAs.fsPath), await remoteSha('/tmp/dl/big.bin'));
    assert.ok(!fs.existsSync(`${ui.saveAs.fsPath}.sm-ssh-partial`));
  });

  it('a remote path that does not exist: RemotePathNotFound before any save dialog, nothing written', async () => {
    ui.remotePath = '/tmp/dl/no-such-file';
    ui.saveAs = vscode.Uri.file(path.join(local, 'missing.bin'));
    const errors = api.shownErrors.length;
    assert.strictEqual(await run('sagemakerSsh.download', await jobNode(api, 'files-job')), undefined);
    assert.strictEqual((api.shownErrors.at(-1) as { code?: string }).code, 'RemotePathNotFound');
    assert.strictEqual(api.shownErrors.length, errors + 1);
    assert.deepStrictEqual(ui.asked, ['remotePath']);
    assert.deepStrictEqual(
      fs.readdirSync(local).filter((name) => name.startsWith('missing')),
      [],
    );
  });

  it('Upload… into a file or a missing folder: a typed error naming the path, nothing copied', async () => {
    ui.uploads = [vscode.Uri.file(path.join(local, 'file.bin'))];
    ui.remotePath = '/tmp/dl/file.bin';
    assert.strictEqual(await run('sagemakerSsh.upload', await jobNode(api, 'files-job')), undefined);
    assert.strictEqual((api.shownErrors.at(-1) as { code?: string }).code, 'RemoteNotAFolder');
    ui.remotePath = '/tmp/no-such-folder';
    assert.strictEqual(await run('sagemakerSsh.upload', await jobNode(api, 'files-job')), undefined);
    assert.strictEqual((api.shownErrors.at(-1) as { code?: string }).code, 'RemotePathNotFound');
    assert.strictEqual((await container.exec('test -e /tmp/no-such-folder')).code, 1);
    assert.strictEqual(await remoteSha('/tmp/dl/file.bin'), sha256(path.join(local, 'file.bin')));
  });

  it('SageMaker SSH: Download… on a Remote-SSH Explorer file downloads that path from its host', async () => {
    ui.saveAs = vscode.Uri.file(path.join(local, 'from-explorer.bin'));
    const resource = vscode.Uri.from({
      scheme: 'vscode-remote',
      authority: `ssh-remote+${alias}`,
      path: '/tmp/dl/file.bin',
    });
    const outcome = await run('sagemakerSsh.downloadResource', resource);
    assert.ok(outcome, `Download… failed: ${String(api.shownErrors.at(-1))}`);
    assert.deepStrictEqual(ui.asked, ['saveFile'], 'no path question: the Explorer named the file');
    assert.strictEqual(sha256(ui.saveAs.fsPath), await remoteSha('/tmp/dl/file.bin'));
  });

  it('SageMaker SSH: Download… on a host that is not ours: NotASageMakerHost, no dialog', async () => {
    const resource = vscode.Uri.from({
      scheme: 'vscode-remote',
      authority: 'ssh-remote+build-box',
      path: '/etc/hosts',
    });
    assert.strictEqual(await run('sagemakerSsh.downloadResource', resource), undefined);
    assert.strictEqual((api.shownErrors.at(-1) as { code?: string }).code, 'NotASageMakerHost');
    assert.deepStrictEqual(ui.asked, []);
  });
});
