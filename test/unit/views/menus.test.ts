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
];
const sshKinds: readonly (NodeKind | undefined)[] = ['trainingJob', 'trainingNode', 'studioApp'];

/** A Studio space reached through sagemaker:StartSession: remote access on and its app running. */
function isConnectableSpace(r: Row): boolean {
  return r.kind === 'studioSpace' && r.flags.has('remoteAccess') && r.flags.has('running');
}

/** Where each item command should show: the product decision this test pins. */
const intended: Readonly<Record<string, (row: Row) => boolean>> = {
  'sagemakerSsh.connect': (r) =>
    (sshKinds.includes(r.kind) && r.flags.has('sshReady')) || isConnectableSpace(r),
  'sagemakerSsh.startSpace': (r) => r.kind === 'studioSpace' && !r.flags.has('running'),
  'sagemakerSsh.stopSpace': (r) => r.kind === 'studioSpace' && r.flags.has('running'),
  'sagemakerSsh.openTerminal': (r) =>
    (sshKinds.includes(r.kind) && r.flags.has('sshReady')) || isConnectableSpace(r),
  'sagemakerSsh.stopWaiting': (r) =>
    (r.kind === 'trainingJob' || r.kind === 'trainingNode') &&
    r.flags.has('inProgress') &&
    r.flags.has('sshReady'),
  'sagemakerSsh.showJobLogs': (r) => r.kind === 'trainingJob' || r.kind === 'trainingNode',
  'sagemakerSsh.stopTrainingJob': (r) => r.kind === 'trainingJob' && r.flags.has('inProgress'),
  'sagemakerSsh.forwardPort': (r) => sshKinds.includes(r.kind) && r.flags.has('sshReady'),
  'sagemakerSsh.attachDebugger': (r) => sshKinds.includes(r.kind) && r.flags.has('sshReady'),
  'sagemakerSsh.openForwardInBrowser': (r) => r.kind === 'portForward',
  'sagemakerSsh.stopForward': (r) => r.kind === 'portForward',
  'sagemakerSsh.copyName': (r) => resourceKinds.includes(r.kind),
  'sagemakerSsh.openInConsole': (r) => resourceKinds.includes(r.kind),
  'sagemakerSsh.copyArn': (r) =>
    r.kind === 'trainingJob' || r.kind === 'studioApp' || (r.kind === 'studioDomain' && r.flags.has('arn')),
  'sagemakerSsh.refreshTrainingJobs': (r) => r.view === 'sagemakerSsh.trainingJobs' && r.kind === 'error',
  'sagemakerSsh.refreshStudio': (r) => r.view === 'sagemakerSsh.studio' && r.kind === 'error',
};

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
});
