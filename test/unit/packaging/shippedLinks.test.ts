import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PackageManager, listFiles } from '@vscode/vsce';

const repoRoot = path.resolve(__dirname, '../../../..');

/** Relative link targets in a Markdown file ([text](target) and ![alt](target)), without #anchors. */
function relativeLinks(markdown: string): string[] {
  const targets: string[] = [];
  for (const match of markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1].split('#')[0];
    if (target !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(target)) targets.push(target);
  }
  return targets;
}

describe('the .vsix', function () {
  this.timeout(60_000);

  it('ships every file its Markdown files link to (package runs --no-rewrite-relative-links)', async () => {
    const shipped = new Set(
      (await listFiles({ cwd: repoRoot, packageManager: PackageManager.None })).map((f) =>
        f.replace(/\\/g, '/'),
      ),
    );
    const markdown = [...shipped].filter((file) => file.endsWith('.md'));
    assert.ok(markdown.includes('README.md'), `README.md is not shipped: ${[...shipped].join(', ')}`);
    const missing: string[] = [];
    for (const file of markdown) {
      for (const target of relativeLinks(readFileSync(path.join(repoRoot, file), 'utf8'))) {
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
        if (!shipped.has(resolved)) missing.push(`${file} → ${target}`);
      }
    }
    assert.deepEqual(missing, [], 'links to files the .vsix does not contain');
  });
});
