import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import fc from 'fast-check';
import { trainingAlias, studioAlias } from '../../../../src/targets/targetAlias';
import { BLOCK_BEGIN, BLOCK_END, findBlocks, removeBlocks } from '../../../../src/ssh/config/includeBlock';
import { UserSshConfigParseError } from '../../../../src/ssh/config/errors';
import { sshConfigPaths } from '../../../../src/ssh/config/sshConfigPaths';
import { SshConfigStore } from '../../../../src/ssh/config/sshConfigStore';
import { useSuiteTempDir } from '../../../support/tempDir';

const ws = fc.constantFrom('', ' ', '  ', '\t', ' \t');
const anyText = fc.string({ unit: 'binary', maxLength: 24 }).map((s) => s.replace(/[\r\n]/g, '·'));
const plainText = anyText.map((s) => s.replace(/["\\]/g, ''));
const word = fc.stringMatching(/^[A-Za-z0-9._*?!~/%-]{1,12}$/);
const separator = fc.constantFrom(' ', '\t', '=', ' = ', '  ');

const configLine = fc.oneof(
  anyText.map((t) => `#${t}`),
  fc.tuple(ws, anyText).map(([w, t]) => `${w}# ${t}`),
  ws,
  fc
    .tuple(ws, fc.constantFrom('Host', 'host', 'HOST'), fc.array(word, { minLength: 1, maxLength: 3 }))
    .map(([w, k, p]) => `${w}${k} ${p.join(' ')}`),
  fc
    .tuple(
      ws,
      fc.constantFrom(
        'all',
        'host x,y',
        'originalhost a*',
        'user root',
        'exec "true"',
        'final all',
        '!host z',
      ),
    )
    .map(([w, m]) => `${w}Match ${m}`),
  fc.tuple(ws, word).map(([w, p]) => `${w}Include ${p}`),
  fc
    .tuple(
      ws,
      fc.constantFrom('User', 'HostName', 'Port', 'IdentityFile', 'ProxyCommand', 'ForwardAgent', 'SetEnv'),
      separator,
      plainText,
    )
    .map(([w, k, s, v]) => `${w}${k}${s}x${v}`),
);

/** Raw bytes that are not UTF-8, as a latin1 "line". */
const rawBytesLine = fc
  .uint8Array({ minLength: 1, maxLength: 6 })
  .map((b) => Buffer.from([0x23, ...b.filter((x) => x !== 10 && x !== 13)]).toString('latin1'));

interface GeneratedConfig {
  readonly bytes: Buffer;
  /** The bytes without any pre-existing block: what every edit must preserve. */
  readonly outside: Buffer;
  readonly hadBlock: boolean;
  readonly bom: boolean;
}

const generatedConfig = fc
  .record({
    lines: fc.array(
      fc.oneof(
        { weight: 9, arbitrary: configLine.map((l) => Buffer.from(l, 'utf8').toString('latin1')) },
        { weight: 1, arbitrary: rawBytesLine },
      ),
      { maxLength: 25 },
    ),
    eols: fc.array(fc.constantFrom('\n', '\r\n'), { minLength: 26, maxLength: 26 }),
    mixedEol: fc.boolean(),
    trailingNewline: fc.boolean(),
    bom: fc.boolean(),
    block: fc.option(
      fc.record({
        at: fc.nat(),
        eol: fc.constantFrom('\n', '\r\n'),
        include: fc.constantFrom('/old/config', '/x y/config'),
      }),
    ),
  })
  .map(({ lines, eols, mixedEol, trailingNewline, bom, block }): GeneratedConfig => {
    const eolFor = (i: number): string => (mixedEol ? eols[i] : eols[0]);
    const joined = (withBlock: boolean): string => {
      let text = bom ? '\u00ef\u00bb\u00bf' : '';
      lines.forEach((line, i) => {
        if (withBlock && block !== null && block.at % (lines.length + 1) === i) {
          text += [BLOCK_BEGIN, `Include "${block.include}"`, BLOCK_END, ''].join(block.eol);
        }
        text += line + (i < lines.length - 1 || trailingNewline ? eolFor(i) : '');
      });
      if (withBlock && block !== null && block.at % (lines.length + 1) === lines.length) {
        if (lines.length > 0 && !trailingNewline) {
          return text; // a block cannot follow a line without a line break; leave it out
        }
        text += [BLOCK_BEGIN, `Include "${block.include}"`, BLOCK_END, ''].join(block.eol);
      }
      return text;
    };
    const bytes = Buffer.from(joined(true), 'latin1');
    const outside = Buffer.from(joined(false), 'latin1');
    return { bytes, outside, hadBlock: !bytes.equals(outside), bom };
  });

type Operation =
  | { kind: 'add-training'; job: string; node: number }
  | { kind: 'add-studio'; app: string; space: string }
  | { kind: 'remove'; index: number }
  | { kind: 'rewrite'; version: number }
  | { kind: 'repair' };

const jobName = fc.stringMatching(/^[A-Za-z0-9](-?[A-Za-z0-9]){0,10}$/);
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant('add-training' as const),
    job: jobName,
    node: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constant('add-studio' as const), app: jobName, space: jobName }),
  fc.record({ kind: fc.constant('remove' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('rewrite' as const), version: fc.nat({ max: 99 }) }),
  fc.constant({ kind: 'repair' as const }),
);

async function apply(store: SshConfigStore, op: Operation, keyDir: string): Promise<void> {
  const proxy = (version: number): string[] => [
    `/opt/ext ${version}/bin/node`,
    '/opt/ext/dist/proxy.js',
    '--host',
    '%h',
  ];
  switch (op.kind) {
    case 'add-training': {
      const alias = trainingAlias(op.job, op.node);
      await store.upsertHost({
        alias,
        user: 'root',
        identityFile: path.join(keyDir, alias),
        proxyCommand: proxy(0),
      });
      return;
    }
    case 'add-studio': {
      const alias = studioAlias(op.app, op.space, 'd-abc123');
      const user = 'sagemaker-user';
      await store.upsertHost({ alias, user, identityFile: path.join(keyDir, alias), proxyCommand: proxy(0) });
      return;
    }
    case 'remove': {
      const hosts = await store.listHosts();
      await store.removeHost(
        hosts.length === 0 ? 'none.training.sagemaker' : hosts[op.index % hosts.length].alias,
      );
      return;
    }
    case 'rewrite':
      await store.rewriteProxyCommands(proxy(op.version));
      return;
    case 'repair':
      await store.repair();
  }
}

describe('property: the user config keeps every byte outside our block', function () {
  this.timeout(300_000);
  const tmp = useSuiteTempDir();

  it('holds for 500 generated configs through add/update/remove edits, and uninstall restores them', async () => {
    let run = 0;
    let unparsable = 0;
    const seen = { preExistingBlock: 0, crlf: 0, bom: 0, notUtf8: 0, noFinalNewline: 0, hostOrMatch: 0 };
    await fc.assert(
      fc.asyncProperty(
        generatedConfig,
        fc.array(operation, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(0o600, 0o644, 0o640),
        async (config, ops, mode) => {
          const dir = path.join(tmp(), `run-${run++}`);
          const latinBytes = config.bytes.toString('latin1');
          seen.preExistingBlock += config.hadBlock ? 1 : 0;
          seen.crlf += latinBytes.includes('\r\n') ? 1 : 0;
          seen.bom += config.bom ? 1 : 0;
          seen.notUtf8 += Buffer.from(config.bytes.toString('utf8'), 'utf8').equals(config.bytes) ? 0 : 1;
          seen.noFinalNewline += latinBytes !== '' && !latinBytes.endsWith('\n') ? 1 : 0;
          seen.hostOrMatch += /^\s*(host|match)\s/im.test(latinBytes) ? 1 : 0;
          await fs.mkdir(path.join(dir, 'home', '.ssh'), { recursive: true });
          const paths = sshConfigPaths({
            homeDir: path.join(dir, 'home'),
            configFileSetting: path.join(dir, 'user config'),
          });
          await fs.writeFile(paths.userConfig, config.bytes, { mode });
          await fs.chmod(paths.userConfig, mode);
          const store = new SshConfigStore({ paths, platform: 'posix' });
          let installed = false;
          try {
            for (const op of ops) {
              await apply(store, op, path.join(dir, 'keys'));
              installed ||= op.kind !== 'remove';
              const now = await fs.readFile(paths.userConfig);
              if (!installed) {
                assert.ok(now.equals(config.bytes), 'removing from nothing writes nothing');
                continue;
              }
              const latin = now.toString('latin1');
              const found = findBlocks(latin);
              assert.ok('blocks' in found && found.blocks.length === 1, 'exactly one block');
              const removed = removeBlocks(latin);
              assert.ok('bytes' in removed);
              assert.ok(
                Buffer.from(removed.bytes, 'latin1').equals(config.outside),
                'bytes outside the block are unchanged',
              );
              if (!config.hadBlock) {
                assert.equal(found.blocks[0].start, config.bom ? 3 : 0, 'a new block goes to the very top');
              }
              assert.equal((await fs.stat(paths.userConfig)).mode & 0o777, mode);
            }
            await store.uninstall();
            assert.ok(
              (await fs.readFile(paths.userConfig)).equals(config.outside),
              'uninstall restores the original bytes',
            );
          } catch (error) {
            if (!(error instanceof UserSshConfigParseError)) {
              throw error;
            }
            unparsable++;
            assert.ok(
              (await fs.readFile(paths.userConfig)).equals(config.bytes),
              'an unparsable config is never touched',
            );
            await assert.rejects(fs.stat(paths.managedConfig), { code: 'ENOENT' });
          } finally {
            await fs.rm(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 500 },
    );
    assert.equal(run, 500);
    assert.ok(unparsable < 50, `${unparsable} of 500 generated configs were unparsable`);
    for (const [what, count] of Object.entries(seen)) {
      assert.ok(count >= 25, `only ${count} of 500 generated configs had ${what}: ${JSON.stringify(seen)}`);
    }
  });
});
