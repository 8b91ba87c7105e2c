import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

// out/test/integration/suite -> repository root
const repoRoot = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  publisher: string;
  name: string;
};
const extensionId = `${manifest.publisher}.${manifest.name}`;

describe('SageMaker SSH in a real VS Code extension host', () => {
  it(`is installed as ${extensionId}`, () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `extension ${extensionId} is not loaded in this host`);
    assert.strictEqual(extension.packageJSON.displayName, 'SageMaker SSH');
  });

  it('is loaded from the build under test (development folder or installed .vsix)', () => {
    const expectedRoot = process.env.SAGEMAKER_SSH_TEST_EXTENSION_ROOT;
    assert.ok(
      expectedRoot,
      'SAGEMAKER_SSH_TEST_EXTENSION_ROOT is not set: the runner did not start this host',
    );
    const actual = vscode.extensions.getExtension(extensionId)!.extensionPath;
    assert.ok(
      actual === expectedRoot || actual.startsWith(expectedRoot + path.sep),
      `loaded from ${actual}, expected under ${expectedRoot}`,
    );
  });

  it('activates without throwing', async () => {
    const extension = vscode.extensions.getExtension(extensionId)!;
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
  });

  it('runs with HOME inside the throwaway sandbox, so ~/.ssh and ~/.aws edits are hermetic', () => {
    const sandbox = process.env.SAGEMAKER_SSH_TEST_SANDBOX;
    assert.ok(sandbox, 'SAGEMAKER_SSH_TEST_SANDBOX is not set: the runner did not start this host');
    assert.strictEqual(os.homedir(), path.join(sandbox, 'home'));
    assert.ok(fs.statSync(os.homedir()).isDirectory());
  });

  it('has the test workspace open', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.deepStrictEqual(
      folders.map((folder) => folder.uri.fsPath),
      [path.join(repoRoot, 'test/workspace')],
    );
  });

  it('reports a failure when EXT_TEST_DELIBERATE_FAIL=1 (proves the harness counts failures)', () => {
    assert.notStrictEqual(
      process.env.EXT_TEST_DELIBERATE_FAIL,
      '1',
      'deliberate failure requested with EXT_TEST_DELIBERATE_FAIL=1',
    );
  });
});
