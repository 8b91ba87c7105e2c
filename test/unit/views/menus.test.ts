import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NodeKind } from '../../../src/views/contextValues';
import { allContextValuesOf, nodeKindsByView } from '../../../src/views/contextValues';
import { parseWhen } from './whenClause';

interface MenuEntry {
  readonly command: string;
  readonly when?: string;
  readonly group?: string;
}

interface Manifest {
  readonly contributes: {
    readonly menus: Readonly<Record<string, readonly MenuEntry[]>>;
    readonly viewsWelcome: readonly {
      readonly view: string;
      readonly when?: string;
      readonly contents: string;
    }[];
  };
}

const manifest = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8'),
) as Manifest;

/** One tree row a context menu can be opened on. */
interface Row {
  readonly view: string;
  readonly kind: NodeKind | undefined;
  readonly flags: ReadonlySet<string>;
  readonly viewItem: string | undefined;
}

function everyRow(): Row[] {
  const rows: Row[] = [];
  for (const [view, kinds] of Object.entries(nodeKindsByView)) {
    // Message items ("No apps", "No training jobs match the filters") have no contextValue.
    rows.push({ view, kind: undefined, flags: new Set(), viewItem: undefined });
    for (const kind of kinds) {
      for (const value of allContextValuesOf(kind)) {
        rows.push({ view, kind, flags: new Set(value.split(' ').slice(1)), viewItem: value });
      }
    }
  }
  return rows;
}

const resourceKinds: readonly (NodeKind | undefined)[] = [
  'trainingJob',
  'trainingNode',
  'studioDomain',
  'studioApp',
  'payloadResource',
  'payloadNode',
  'hyperPodCluster',
  'hyperPodNode',
];
const sshKinds: readonly (NodeKind | undefined)[] = [
  'trainingJob',
  'trainingNode',
  'studioApp',
  'payloadResource',
  'payloadNode',
];
/** Attach Python Debugger is for training code; the other payload resources do not get it (yet). */
const debuggableKinds: readonly (NodeKind | undefined)[] = ['trainingJob', 'trainingNode', 'studioApp'];

/** A node of a running job with remote debug on: a shell session reaches it, so terminal and Connect apply. */
function remoteDebugRunning(r: Row): boolean {
  return r.kind === 'remoteDebugNode' && r.flags.has('inProgress');
}

/** A Studio space reached through sagemaker:StartSession: remote access on and its app running. */
function isConnectableSpace(r: Row): boolean {
  return r.kind === 'studioSpace' && r.flags.has('remoteAccess') && r.flags.has('running');
}

/** Where each item command should show: the product decision this test pins. */
const intended: Readonly<Record<string, (row: Row) => boolean>> = {
  'sagemakerSsh.connect': (r) =>
    (sshKinds.includes(r.kind) && r.flags.has('sshReady')) ||
    isRunningHyperPodNode(r) ||
    remoteDebugRunning(r) ||
    isConnectableSpace(r),
  'sagemakerSsh.startSpace': (r) => r.kind === 'studioSpace' && !r.flags.has('running'),
  'sagemakerSsh.stopSpace': (r) => r.kind === 'studioSpace' && r.flags.has('running'),
  'sagemakerSsh.openTerminal': (r) =>
    (sshKinds.includes(r.kind) && r.flags.has('sshReady')) ||
    isRunningHyperPodNode(r) ||
    remoteDebugRunning(r) ||
    isConnectableSpace(r),
  'sagemakerSsh.stopWaiting': (r) =>
    ((((r.kind === 'trainingJob' || r.kind === 'trainingNode') && r.flags.has('inProgress')) ||
      ((r.kind === 'payloadResource' || r.kind === 'payloadNode') && r.flags.has('running'))) &&
      r.flags.has('sshReady')) ||
    remoteDebugRunning(r),
  'sagemakerSsh.enableRemoteDebug': (r) => r.kind === 'trainingJob' && r.flags.has('canEnableDebug'),
  'sagemakerSsh.showJobLogs': (r) => r.kind === 'trainingJob' || r.kind === 'trainingNode',
  'sagemakerSsh.stopTrainingJob': (r) => r.kind === 'trainingJob' && r.flags.has('inProgress'),
  'sagemakerSsh.forwardPort': (r) => sshKinds.includes(r.kind) && r.flags.has('sshReady'),
  'sagemakerSsh.attachDebugger': (r) => debuggableKinds.includes(r.kind) && r.flags.has('sshReady'),
  'sagemakerSsh.download': (r) => sshKinds.includes(r.kind) && r.flags.has('sshReady'),
  'sagemakerSsh.upload': (r) => sshKinds.includes(r.kind) && r.flags.has('sshReady'),
  'sagemakerSsh.openForwardInBrowser': (r) => r.kind === 'portForward',
  'sagemakerSsh.stopForward': (r) => r.kind === 'portForward',
  'sagemakerSsh.copyName': (r) => resourceKinds.includes(r.kind),
  'sagemakerSsh.openInConsole': (r) => resourceKinds.includes(r.kind),
  'sagemakerSsh.copyArn': (r) =>
    r.kind === 'trainingJob' ||
    r.kind === 'studioApp' ||
    r.kind === 'payloadResource' ||
    r.kind === 'hyperPodCluster' ||
    (r.kind === 'studioDomain' && r.flags.has('arn')),
  'sagemakerSsh.refreshTrainingJobs': (r) => r.view === 'sagemakerSsh.trainingJobs' && r.kind === 'error',
  'sagemakerSsh.refreshStudio': (r) => r.view === 'sagemakerSsh.studio' && r.kind === 'error',
  'sagemakerSsh.refreshResources': (r) => r.view === 'sagemakerSsh.resources' && r.kind === 'error',
  'sagemakerSsh.refreshHyperPod': (r) => r.view === 'sagemakerSsh.hyperPod' && r.kind === 'error',
};

/** HyperPod nodes need no payload: Session Manager reaches every Running node. */
function isRunningHyperPodNode(r: Row): boolean {
  return r.kind === 'hyperPodNode' && r.flags.has('running');
}

function describeRow(row: Row): string {
  return `${row.view.replace('sagemakerSsh.', '')}: ${row.viewItem ?? '(no contextValue)'}`;
}

describe('package.json menus', () => {
  it('parses every when clause', () => {
    const clauses = [
      ...Object.values(manifest.contributes.menus).flatMap((entries) => entries.map((e) => e.when)),
      ...manifest.contributes.viewsWelcome.map((w) => w.when),
    ].filter((when): when is string => when !== undefined);
    assert.ok(clauses.length > 20);
    for (const clause of clauses) {
      assert.doesNotThrow(() => parseWhen(clause), clause);
    }
  });

  const itemMenus = manifest.contributes.menus['view/item/context'];
  it('writes welcome content without Markdown a welcome view does not render (only links)', () => {
    for (const { view, contents } of manifest.contributes.viewsWelcome) {
      const withoutLinks = contents.replace(/\[[^\]]*\]\(command:[\w.]+\)/g, '');
      assert.doesNotMatch(withoutLinks, /`|\*\*|__/, `${view}: ${contents}`);
    }
  });

  it('evaluates clauses with VS Code precedence: ! before && before ||', () => {
    assert.equal(parseWhen('a || b && c')({ a: true, b: false, c: false }), true);
    assert.equal(parseWhen('(a || b) && c')({ a: true, b: false, c: false }), false);
    assert.equal(parseWhen('!a && viewItem =~ /^x\\b/')({ a: false, viewItem: 'x y' }), true);
    assert.equal(parseWhen('view == v1 && viewItem != e')({ view: 'v1', viewItem: 'e' }), false);
  });

  for (const [index, entry] of itemMenus.entries()) {
    it(`shows ${entry.command} (#${index}, ${entry.group ?? 'no group'}) on exactly the intended rows`, () => {
      const expected = intended[entry.command];
      assert.ok(expected, `no intended rows for ${entry.command}: add it to this test`);
      assert.ok(entry.when, `${entry.command} has no when clause, so it shows on every row of every view`);
      const when = parseWhen(entry.when);
      const rows = everyRow();
      // Inline actions and menu groups may be split per view; each entry must stay inside the intended set.
      const shown = rows.filter((row) => when({ view: row.view, viewItem: row.viewItem }));
      const wrong = shown.filter((row) => !expected(row)).map(describeRow);
      assert.deepEqual(wrong, [], `${entry.command} shows where it should not (when: ${entry.when})`);
    });
  }

  for (const command of Object.keys(intended)) {
    it(`offers ${command} on every intended row`, () => {
      const rows = everyRow().filter(intended[command]);
      const entries = itemMenus.filter((e) => e.command === command && e.when);
      const missing = rows
        .filter((row) => !entries.some((e) => parseWhen(e.when!)({ view: row.view, viewItem: row.viewItem })))
        .map(describeRow);
      assert.deepEqual(missing, [], `${command} is missing from rows`);
    });
  }

  describe('explorer/context: SageMaker SSH: Download…', () => {
    const entries = manifest.contributes.menus['explorer/context'].filter(
      (e) => e.command === 'sagemakerSsh.downloadResource',
    );
    /** What VS Code sets for an Explorer resource: its scheme and the URI as a string (`+` encoded). */
    const shownOn = (uri: string): boolean =>
      entries.some((e) => parseWhen(e.when!)({ resourceScheme: uri.split(':')[0], resource: uri }));

    it('shows on files and folders of a Remote-SSH window on one of our hosts', () => {
      assert.equal(entries.length, 1);
      assert.ok(shownOn('vscode-remote://ssh-remote%2Bmy-job.training.sagemaker/opt/ml/model/model.tar.gz'));
      assert.ok(shownOn('vscode-remote://ssh-remote+algo-2.my-job.training.sagemaker/root'));
      assert.ok(
        shownOn('vscode-remote://ssh-remote%2Bdefault.team.d-abc123.studio.sagemaker/home/sagemaker-user'),
      );
    });

    it('does not show on local files, other remotes or other ssh hosts', () => {
      assert.ok(!shownOn('file:///home/me/project/train.py'));
      assert.ok(!shownOn('vscode-remote://ssh-remote%2Bbuild-box/home/me/x.sagemaker/file'));
      assert.ok(!shownOn('vscode-remote://wsl%2Bubuntu/home/me/a.training.sagemaker/x'));
      assert.ok(!shownOn('vscode-remote://ssh-remote%2Bmy.sagemaker.example.com/tmp'));
    });
  });
});
