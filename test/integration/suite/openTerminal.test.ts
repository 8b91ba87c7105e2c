import * as assert from 'assert';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me, other } from '../../builders/scenarioBuilder';
import type { TestingApi } from '../../../src/extension';
import type { OpenTerminalResult } from '../../../src/commands/openTerminal';
import { clearProfileSettings, useEmulatorProfile } from './awsProfile';
import { jobNode, labelOf, testingApi, treeItems } from './testingApi';

const denied = { ...other, name: 'noshell', accessKeyId: 'AKIANOSHELL', deny: ['ssm:StartSession'] };

function scenario(): ReturnType<ScenarioBuilder['build']> {
  const b = new ScenarioBuilder();
  b.trainingJob('Shell-Train', {
    status: 'InProgress',
    instanceCount: 2,
    creationTime: '-10m',
    ssh: { nodes: 2, owner: me.userId },
  });
  b.trainingJob('offline-shell-job', {
    status: 'InProgress',
    creationTime: '-30m',
    ssh: { owner: me.userId, pingStatus: 'ConnectionLost' },
  });
  return b.identities(me, other, denied).build();
}

/** A wait that is only a backstop: a test that hangs fails with what the terminal showed, not a bare timeout. */
const OUTPUT_BACKSTOP_MS = 30_000;

/** Everything the pty writes from now on, and a wait for a pattern in what comes after `from`. */
function recorder(result: OpenTerminalResult): {
  text(): string;
  until(pattern: RegExp, from?: number): Promise<RegExpExecArray>;
} {
  let text = '';
  const waiters: (() => void)[] = [];
  result.pty.onDidWrite((data) => {
    text += data;
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    text: () => text,
    async until(pattern, from = 0) {
      const gaveUpAt = Date.now() + OUTPUT_BACKSTOP_MS;
      for (;;) {
        const match = pattern.exec(text.slice(from));
        if (match) return match;
        if (Date.now() > gaveUpAt) {
          assert.fail(`the terminal never showed ${pattern}; it showed:\n${JSON.stringify(text)}`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 1000);
        });
      }
    },
  };
}

async function lastError(api: TestingApi, before: number): Promise<Error & { code?: string }> {
  assert.ok(api.shownErrors.length > before, 'the command showed no error');
  return api.shownErrors[api.shownErrors.length - 1] as Error & { code?: string };
}

describe('Open Terminal in the extension host (SSM shell session, no ssh)', function () {
  // Well under the runner's limit for the whole host (600 s in npm test), so a stuck test fails by name.
  this.timeout(90_000);
  let emulator: Emulator;
  let api: TestingApi;

  before(async () => {
    api = await testingApi();
    emulator = await startEmulator({ scenario: scenario() });
    await useEmulatorProfile(emulator, 'me');
  });
  after(async () => {
    await clearProfileSettings();
    await emulator.close();
  });

  it('opens a terminal on node algo-2 whose pty shows the container hostname; closing it ends the session', async () => {
    const job = await jobNode(api, 'Shell-Train');
    const nodes = await treeItems(api.explorer.trainingJobs, job);
    const algo2 = nodes.find((n) => labelOf(n.item) === 'algo-2');
    assert.ok(algo2, `no algo-2 under the job: ${nodes.map((n) => labelOf(n.item)).join(', ')}`);
    const since = emulator.calls.lastSeq;
    const result = (await vscode.commands.executeCommand('sagemakerSsh.openTerminal', algo2.node)) as
      OpenTerminalResult | undefined;
    assert.ok(result, `Open Terminal failed: ${String(api.shownErrors.at(-1))}`);
    assert.match(result.terminal.name, /^algo-2 · Shell-Train$/);
    const output = recorder(result);
    await result.pty.opened;
    result.pty.handleInput('hostname\r');
    await output.until(/\r\nalgo-2\r\n/);
    // A resize reaches the agent's pty (Size payload → TIOCSWINSZ). VS Code itself may resize the terminal
    // (when its panel lays out) between our resize and `stty size`, so ask again until ours is the last one.
    let size = '';
    for (let attempt = 0; attempt < 5 && size !== '17 91'; attempt++) {
      result.pty.setDimensions({ columns: 91, rows: 17 });
      const from = output.text().length;
      // Input typed ahead of the prompt is echoed before it, so the answer is found by its own marker, which
      // the echo of the command line cannot contain.
      result.pty.handleInput('echo "size=$(stty size)"\r');
      size = (await output.until(/size=(\d+ \d+)\r\n/, from))[1]!;
    }
    assert.strictEqual(size, '17 91');
    assert.strictEqual(emulator.calls.count({ operation: 'StartSession', since }), 1);
    result.terminal.dispose();
    // Our TerminateSession flag may make the agent close the channel before our API call is made.
    const end = await result.pty.ended;
    assert.ok(end.kind === 'closed-locally' || end.kind === 'channel-closed', end.kind);
    assert.ok(emulator.calls.count({ operation: 'TerminateSession', since }) >= 1, 'TerminateSession called');
  });

  it('the shell exiting closes the terminal', async () => {
    const job = await jobNode(api, 'Shell-Train');
    const result = (await vscode.commands.executeCommand(
      'sagemakerSsh.openTerminal',
      job,
    )) as OpenTerminalResult;
    assert.ok(result, `Open Terminal failed: ${String(api.shownErrors.at(-1))}`);
    const closed = new Promise<void>((resolve) => result.pty.onDidClose(() => resolve()));
    await result.pty.opened;
    result.pty.handleInput('exit\r');
    await closed;
    assert.strictEqual((await result.pty.ended).kind, 'channel-closed');
  });

  it('an offline node: a typed error, no terminal, no session', async () => {
    const errors = api.shownErrors.length;
    const since = emulator.calls.lastSeq;
    const result = await vscode.commands.executeCommand(
      'sagemakerSsh.openTerminal',
      await jobNode(api, 'offline-shell-job'),
    );
    assert.strictEqual(result, undefined);
    assert.strictEqual((await lastError(api, errors)).code, 'InstanceOffline');
    assert.ok(
      !vscode.window.terminals.some((t) => t.name.includes('offline-shell-job')),
      'a terminal was opened',
    );
    assert.strictEqual(emulator.calls.count({ operation: 'StartSession', since }), 0);
  });

  it('ssm:StartSession denied: AccessDenied naming the IAM action', async () => {
    const job = await jobNode(api, 'Shell-Train');
    await useEmulatorProfile(emulator, 'noshell', 'noshell');
    try {
      const errors = api.shownErrors.length;
      const result = await vscode.commands.executeCommand('sagemakerSsh.openTerminal', job);
      assert.strictEqual(result, undefined);
      const error = await lastError(api, errors);
      assert.strictEqual(error.code, 'AccessDenied');
      assert.match(error.message, /ssm:StartSession/);
    } finally {
      await useEmulatorProfile(emulator, 'me');
    }
  });
});
