import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { PACKAGE_DIR, cleanEnv, run } from './support';

const SAVE_ENV = path.join(PACKAGE_DIR, 'sm-save-env');

/** `sm-save-env print-vars NAME=VALUE...`: the lines sm-save-env writes to /etc/environment. */
async function printVars(values: readonly string[]): Promise<string> {
  const result = await run('bash', [SAVE_ENV, 'print-vars', ...values.map((value, i) => `V${i}=${value}`)]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

/** The values a POSIX shell gets back from `set -a; . <file>`, read NUL-separated. */
async function sourced(shell: string, file: string, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `"$V${i}"`).join(' ');
  const result = await run(shell, ['-c', `set -a; . ./env; printf '%s\\0' ${names}`], {
    cwd: path.dirname(file),
    env: { PATH: process.env.PATH },
  });
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.split('\0').slice(0, count);
}

/**
 * pam_env's reading of an env file (linux-pam's _assemble_line + _parse_env_file): lines joined on a
 * trailing backslash, '#' starts a comment anywhere, "export " is skipped, keys must be
 * alphanumeric or '_', and quotes are stripped only at the ends of a quoted value.
 */
function pamEnvParse(text: string): Map<string, string> {
  const env = new Map<string, string>();
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i]!;
    while (/\\[ \t]*$/.test(line.split('#')[0]!) && !line.includes('#') && i + 1 < raw.length) {
      line = line.replace(/\\[ \t]*$/, '') + raw[++i];
    }
    let key = line.replace(/^[ \n\t]+/, '');
    if (key.startsWith('#')) continue;
    if (key.startsWith('export ')) key = key.slice(7);
    key = key.split('#')[0]!;
    if (key.startsWith('=') || key === '') continue;
    const eq = key.indexOf('=');
    const name = eq < 0 ? key : key.slice(0, eq);
    if (!/^[A-Za-z0-9_]*$/.test(name) || eq < 0) continue;
    let value = key.slice(eq + 1);
    if (value.startsWith('"') || value.startsWith("'")) {
      let out = '';
      for (let t = 1; t < value.length; t++) {
        const c = value[t]!;
        if ((c !== '"' && c !== "'") || t + 1 < value.length) out += c;
      }
      value = out;
    }
    env.set(name, value);
  }
  return env;
}

const TRICKY = [
  'plain',
  "it's",
  'say "hi"',
  `both ' and "`,
  'multi\nline\n',
  '\n',
  '',
  'ends with backslash\\',
  '\\',
  '$HOME $(id) `id` ${PATH}',
  'a=b=c',
  'hash # inside',
  'x\nV99=injected\nexport V98=also',
  '  spaces  ',
  'tab\there',
  'ünïcødé ✓',
  '\r\n',
  '{"json": ["list", 1], "n": null}',
];

describe('payload: sm-save-env (the SSH sessions’ /etc/environment)', function () {
  this.timeout(60_000);

  it('writes values that sh (dash) and bash read back exactly: quotes, $, backslashes, newlines, =', async () => {
    const { writeFile, mkdtemp, rm } = await import('node:fs/promises');
    const dir = await mkdtemp(path.join((await import('node:os')).tmpdir(), 'sm-save-env-'));
    try {
      await writeFile(path.join(dir, 'env'), await printVars(TRICKY));
      for (const shell of ['sh', 'bash']) {
        assert.deepEqual(await sourced(shell, path.join(dir, 'env'), TRICKY.length), TRICKY, shell);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps what pam_env reads confined: simple values exact, no value can define another variable', async () => {
    const text = await printVars(TRICKY);
    const pam = pamEnvParse(text);
    const exact = [
      'plain',
      'say "hi"',
      '',
      'ends with backslash\\',
      '\\',
      '$HOME $(id) `id` ${PATH}',
      'a=b=c',
      '  spaces  ',
      'tab\there',
      'ünïcødé ✓',
      "it's",
      '{"json": ["list", 1], "n": null}',
    ];
    for (const value of exact) {
      const index = TRICKY.indexOf(value);
      assert.equal(pam.get(`V${index}`), value, `V${index}=${JSON.stringify(value)}`);
    }
    assert.deepEqual(
      [...pam.keys()].filter((key) => !/^V\d+$/.test(key) || Number(key.slice(1)) >= TRICKY.length),
      [],
    );
    // Lines pam_env cannot read exactly come last, so an overlong line cannot hide the others.
    const lines = text.split('\n');
    const firstInexact = lines.findIndex(
      (line) =>
        /^V\d+=/.test(line) &&
        pam.get(line.split('=')[0]!) !== TRICKY[Number(line.slice(1, line.indexOf('=')))],
    );
    const lastExact = Math.max(
      ...exact.map((value) => lines.findIndex((line) => line.startsWith(`V${TRICKY.indexOf(value)}=`))),
    );
    assert.ok(firstInexact > lastExact, 'exact lines first');
  });

  it('round-trips any values through sh (property)', async () => {
    const { writeFile, mkdtemp, rm } = await import('node:fs/promises');
    const dir = await mkdtemp(path.join((await import('node:os')).tmpdir(), 'sm-save-env-'));
    try {
      const value = fc.string({
        unit: fc.constantFrom('a', ' ', "'", '"', '\\', '$', '`', '\n', '#', '=', '\t', 'é', '!', '*', '\r'),
        maxLength: 12,
      });
      await fc.assert(
        fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 15 }), async (values) => {
          await writeFile(path.join(dir, 'env'), await printVars(values));
          assert.deepEqual(await sourced('sh', path.join(dir, 'env'), values.length), values);
          const pam = pamEnvParse(await printVars(values));
          assert.ok(
            [...pam.keys()].every((key) => /^V\d+$/.test(key) && Number(key.slice(1)) < values.length),
          );
        }),
        { numRuns: 40 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('print-vars refuses names a shell cannot assign', async () => {
    const result = await run('bash', [SAVE_ENV, 'print-vars', 'GOOD=1', 'bad-name=2', '9X=3', 'noequals'], {
      env: cleanEnv(),
    });
    assert.equal(result.stdout, "GOOD='1'\n");
    assert.match(result.stderr, /'bad-name' is not NAME=VALUE with a valid shell name; skipped/);
  });
});
