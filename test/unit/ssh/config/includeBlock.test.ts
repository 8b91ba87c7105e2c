import * as assert from 'node:assert/strict';
import { BLOCK_BEGIN, BLOCK_END, removeBlocks, upsertBlock } from '../../../../src/ssh/config/includeBlock';

const PATH = '/home/u/.ssh/sagemaker-ssh/config';
const BLOCK = `${BLOCK_BEGIN}\nInclude "${PATH}"\n${BLOCK_END}\n`;
const BOM = '\ufeff';

/** Runs an edit on the UTF-8 bytes of `text` and returns the result decoded again. */
function edit(text: string, fn: (bytes: string) => { bytes: string } | { problem: unknown }): string {
  const result = fn(Buffer.from(text, 'utf8').toString('latin1'));
  if ('problem' in result) {
    throw new Error(`unexpected problem ${JSON.stringify(result.problem)}`);
  }
  return Buffer.from(result.bytes, 'latin1').toString('utf8');
}

const upsert = (text: string, path = PATH): string => edit(text, (b) => upsertBlock(b, path));
const remove = (text: string): string => edit(text, removeBlocks);

function problemOf(text: string): unknown {
  const result = upsertBlock(text, PATH);
  return 'problem' in result ? result.problem : undefined;
}

describe('Include block in the user config (exact bytes)', () => {
  it('creates the block alone in an empty file', () => {
    assert.equal(upsert(''), BLOCK);
  });

  it('prepends the block and keeps the rest byte for byte (LF, tabs, comments)', () => {
    const user =
      '# my config\nHost work\n\tHostName work.example.com\n\tUser me   \n\nHost *\n  ServerAliveInterval 30\n';
    assert.equal(upsert(user), BLOCK + user);
    assert.equal(remove(upsert(user)), user);
  });

  it('uses CRLF in the block when the file uses CRLF', () => {
    const user = 'Host work\r\n  User me\r\n';
    assert.equal(upsert(user), BLOCK.replace(/\n/g, '\r\n') + user);
    assert.equal(remove(upsert(user)), user);
  });

  it('keeps a UTF-8 BOM first and puts the block after it', () => {
    const user = `${BOM}Host work\n  User me\n`;
    assert.equal(upsert(user), `${BOM}${BLOCK}Host work\n  User me\n`);
    assert.equal(remove(upsert(user)), user);
  });

  it('leaves a missing final newline missing', () => {
    const user = 'Host work\n  User me';
    assert.equal(upsert(user), BLOCK + user);
    assert.equal(remove(upsert(user)), user);
  });

  it('goes above leading Include lines so it is read first', () => {
    const user = 'Include ~/.orbstack/ssh/config\nInclude config.d/*\n\nHost *\n  User me\n';
    assert.equal(upsert(user), BLOCK + user);
  });

  it('is idempotent and updates an existing block in place', () => {
    const user = 'Host a\n  User me\n';
    const once = upsert(user);
    assert.equal(upsert(once), once);
    const moved = upsert(once, '/new place/config');
    assert.equal(moved, `${BLOCK_BEGIN}\nInclude "/new place/config"\n${BLOCK_END}\n${user}`);
  });

  it('keeps a block the user moved below global lines where it is', () => {
    const user = `# header\nIdentityAgent ~/.1password/agent.sock\n\n${BLOCK_BEGIN}\nInclude "/old"\n${BLOCK_END}\nHost a\n  User me\n`;
    assert.equal(
      upsert(user),
      `# header\nIdentityAgent ~/.1password/agent.sock\n\n${BLOCK}Host a\n  User me\n`,
    );
  });

  it('moves a block that sits inside a Host or Match section to the top', () => {
    for (const section of ['Host *', 'Match host x', 'host=foo', '  Match all']) {
      const user = `${section}\n  User me\n${BLOCK_BEGIN}\nInclude "/old"\n${BLOCK_END}\nHost b\n`;
      assert.equal(upsert(user), `${BLOCK}${section}\n  User me\nHost b\n`, section);
    }
  });

  it('collapses duplicate blocks into one, at the first one', () => {
    const user = `Port 22\n${BLOCK}Host a\n${BLOCK_BEGIN}\nInclude "/x"\r\n${BLOCK_END}\nHost b\n`;
    assert.equal(upsert(user), `Port 22\n${BLOCK}Host a\nHost b\n`);
    assert.equal(remove(user), 'Port 22\nHost a\nHost b\n');
  });

  it('treats marker lines with trailing text or whitespace as markers', () => {
    const user = `  ${BLOCK_BEGIN.replace('(managed; do not edit inside this block) ', '')}  \nInclude "/x"\n${BLOCK_END} edited\nHost a\n`;
    assert.equal(upsert(user), `${BLOCK}Host a\n`);
  });

  it('reports unbalanced markers instead of guessing', () => {
    assert.deepEqual(problemOf(`Host a\n${BLOCK_BEGIN}\nInclude "/x"\n`), {
      kind: 'begin-without-end',
      line: 2,
    });
    assert.deepEqual(problemOf(`Host a\n${BLOCK_END}\n`), { kind: 'end-without-begin', line: 2 });
    assert.deepEqual(problemOf(`${BLOCK_BEGIN}\n${BLOCK_BEGIN}\n${BLOCK_END}\n`), {
      kind: 'begin-without-end',
      line: 1,
    });
    assert.deepEqual(problemOf(`${BLOCK}${BLOCK_END}\n`), { kind: 'end-without-begin', line: 4 });
  });

  it('writes a path with spaces and non-ASCII characters quoted, in UTF-8', () => {
    const path = '/home/Zoë Ünal/.ssh/sagemaker-ssh/config';
    assert.equal(upsert('Host a\n', path), `${BLOCK_BEGIN}\nInclude "${path}"\n${BLOCK_END}\nHost a\n`);
  });

  it('keeps bytes that are not valid UTF-8', () => {
    const user = Buffer.from([
      0x23, 0x20, 0xe9, 0xff, 0x0a, 0x48, 0x6f, 0x73, 0x74, 0x20, 0x61, 0x0a,
    ]).toString('latin1');
    const result = upsertBlock(user, PATH);
    assert.ok('bytes' in result);
    const after = 'bytes' in result ? result.bytes : '';
    assert.equal(after.slice(Buffer.byteLength(BLOCK)), user);
    const removed = removeBlocks(after);
    assert.ok('bytes' in removed && removed.bytes === user);
  });

  it('removing from a file without a block changes nothing', () => {
    for (const user of ['', 'Host a\n', 'Host a\r\n  User b']) {
      assert.equal(remove(user), user);
    }
  });
});
