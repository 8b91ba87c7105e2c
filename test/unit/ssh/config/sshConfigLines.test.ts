import * as assert from 'node:assert/strict';
import { configLines, matchesHostPatterns, splitArguments } from '../../../../src/ssh/config/sshConfigLines';

describe('ssh_config line reading (for locating conflicts)', () => {
  it('splits arguments like OpenSSH: quotes, escapes, trailing comments', () => {
    assert.deepEqual(splitArguments('a "b c" \'d e\' f\\ g h\\"i'), ['a', 'b c', 'd e', 'f g', 'h"i']);
    assert.deepEqual(splitArguments('x # comment'), ['x']);
    assert.deepEqual(splitArguments('x#notcomment'), ['x#notcomment']);
    assert.deepEqual(splitArguments('"a\\ b"'), ['a\\ b']);
    assert.deepEqual(splitArguments('C:\\Users\\me'), ['C:\\Users\\me']);
    assert.deepEqual(splitArguments('""'), ['']);
  });

  it('reads keywords case-insensitively with space or = separators and 1-based line numbers', () => {
    const lines = configLines('\ufeff# c\r\n\r\n  HOST a b\r\n\tUser=root\nProxyCommand = x %h\n');
    assert.deepEqual(
      lines.map((l) => [l.number, l.keyword, l.args]),
      [
        [3, 'host', ['a', 'b']],
        [4, 'user', ['root']],
        [5, 'proxycommand', ['x', '%h']],
      ],
    );
  });

  it('matches Host patterns with wildcards and negation', () => {
    const alias = 'myjob.training.sagemaker';
    assert.equal(matchesHostPatterns(alias, ['*']), true);
    assert.equal(matchesHostPatterns(alias, ['*.SageMaker']), true);
    assert.equal(matchesHostPatterns(alias, ['*', '!*.sagemaker']), false);
    assert.equal(matchesHostPatterns(alias, ['!*.sagemaker', '*']), false);
    assert.equal(matchesHostPatterns(alias, ['my?ob.*']), true);
    assert.equal(matchesHostPatterns(alias, ['other', 'x*']), false);
    assert.equal(matchesHostPatterns(alias, ['!other']), false);
    assert.equal(matchesHostPatterns('a.b', ['a?b']), true);
    assert.equal(matchesHostPatterns('a+b', ['a+b']), true);
  });
});
