import { strict as assert } from 'node:assert';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runWithCompileCache } from '../../../src/cli/compileCache';

describe('cli compile cache', () => {
  let dir: string;
  let main: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'smssh-cache-'));
    main = path.join(dir, 'main.js');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const now = (write: () => void): void => write();
  const run = (): { hit: boolean; exports: unknown } => runWithCompileCache(main, { scheduleWrite: now });

  it('runs the file as CommonJS with a working require, __dirname and module.exports', () => {
    writeFileSync(
      main,
      '#!/usr/bin/env node\nconst p = require("node:path");\nmodule.exports = { dir: p.basename(__dirname), file: __filename };\n',
    );
    const { exports } = run();
    assert.deepEqual(exports, { dir: path.basename(dir), file: main });
  });

  it('writes the cache after a miss and uses it next time', () => {
    writeFileSync(main, 'module.exports = [1, 2, 3].map((n) => n * 2);\n');
    const first = run();
    assert.equal(first.hit, false);
    assert.ok(existsSync(`${main}.cache`));
    const second = run();
    assert.equal(second.hit, true);
    assert.deepEqual(second.exports, [2, 4, 6]);
  });

  it('never runs stale code: a changed file of the same length misses the cache', () => {
    writeFileSync(main, 'module.exports = { value: 41 };\n');
    run();
    assert.equal(run().hit, true);
    writeFileSync(main, 'module.exports = { value: 42 };\n');
    const changed = run();
    assert.equal(changed.hit, false);
    assert.deepEqual(changed.exports, { value: 42 });
  });

  it('ignores a damaged cache file', () => {
    writeFileSync(main, 'module.exports = "ok";\n');
    writeFileSync(`${main}.cache`, 'garbage');
    assert.deepEqual(run(), { hit: false, cacheFile: `${main}.cache`, exports: 'ok' });
    assert.notEqual(readFileSync(`${main}.cache`, 'latin1'), 'garbage', 'the damaged cache was replaced');
  });

  it('runs without a cache it cannot write, leaving no temporary file', () => {
    writeFileSync(main, 'module.exports = "ok";\n');
    mkdirSync(`${main}.cache`);
    assert.deepEqual(run().exports, 'ok');
    assert.deepEqual(readdirSync(dir).sort(), ['main.js', 'main.js.cache']);
  });
});
