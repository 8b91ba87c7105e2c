// In-host half of `npm run demo -- --check` (payload extensionTestsPath): activates the extension, shows its
// view container, then waits until the launcher has taken its screenshot (it creates the release file).
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const repoRoot = path.resolve(__dirname, '../../../..');

async function waitForFile(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline)
      throw new Error(`the demo launcher did not create ${file} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function run(): Promise<void> {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
  };
  const id = `${manifest.publisher}.${manifest.name}`;
  const extension = vscode.extensions.getExtension(id);
  if (!extension) throw new Error(`[demo-check] extension ${id} is not loaded`);
  await extension.activate();
  if (!extension.isActive) throw new Error(`[demo-check] extension ${id} did not activate`);
  if (process.env.AWS_PROFILE !== 'demo') {
    throw new Error(`[demo-check] AWS_PROFILE is "${process.env.AWS_PROFILE}", expected "demo"`);
  }
  await vscode.commands.executeCommand('workbench.view.extension.sagemakerSsh');
  console.log(`[demo-check] ready: ${id} is active (AWS_PROFILE=demo)`);
  const release = process.env.SAGEMAKER_SSH_TEST_DEMO_RELEASE;
  if (release) await waitForFile(release, 120_000);
}
