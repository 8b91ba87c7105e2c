import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { clearProfileSettings, useEmulatorProfile } from './awsProfile';
import { testingApi } from './testingApi';

describe('Add SSH Helper to Training Code in the extension host', () => {
  let emulator: Emulator;
  let folder: string;
  before(async () => {
    await testingApi();
    emulator = await startEmulator({ scenario: new ScenarioBuilder().build() });
    await useEmulatorProfile(emulator, 'me');
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'smssh-src-'));
    fs.writeFileSync(path.join(folder, 'train.py'), '#!/usr/bin/env python3\n"""Train."""\nimport torch\n');
  });
  after(async () => {
    await clearProfileSettings();
    await emulator.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('copies the payload, shows the estimator snippet with my user id, and adds the setup call', async () => {
    const result = (await vscode.commands.executeCommand('sagemakerSsh.addSshHelper', undefined, {
      folder,
      entryScript: path.join(folder, 'train.py'),
    })) as {
      copy: { status: string };
      ownerUserId: string;
      snippet: vscode.TextDocument;
      entryScript: string;
    };
    assert.ok(result, 'the command showed an error');
    assert.strictEqual(result.copy.status, 'created');
    assert.ok(fs.existsSync(path.join(folder, 'sagemaker_ssh_helper', '__init__.py')));
    assert.ok(fs.existsSync(path.join(folder, 'sagemaker_ssh_helper', 'sm-setup-ssh')));
    assert.strictEqual(result.ownerUserId, me.userId);
    assert.match(result.snippet.getText(), new RegExp(`SSH_OWNER_TAG['"]?\\s*:\\s*['"]${me.userId}`));
    const script = fs.readFileSync(path.join(folder, 'train.py'), 'utf8');
    assert.match(
      script,
      /^#!\/usr\/bin\/env python3\n"""Train."""\n.*import sagemaker_ssh_helper\n.*sagemaker_ssh_helper\.setup_and_start_ssh\(\)\n.*import torch\n$/s,
    );
  });

  it('is idempotent', async () => {
    const before = fs.readFileSync(path.join(folder, 'train.py'), 'utf8');
    const result = (await vscode.commands.executeCommand('sagemakerSsh.addSshHelper', undefined, {
      folder,
      entryScript: path.join(folder, 'train.py'),
    })) as { copy: { status: string } };
    assert.strictEqual(result.copy.status, 'unchanged');
    assert.strictEqual(fs.readFileSync(path.join(folder, 'train.py'), 'utf8'), before);
  });
});
