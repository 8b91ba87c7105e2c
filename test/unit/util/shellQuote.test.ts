import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { shellQuote, shellWord } from '../../../src/util/shellQuote';

/** What /bin/sh makes of `word`: its single argument, printed back. */
function throughShell(word: string): string {
  return execFileSync('/bin/sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' });
}

describe('shellQuote / shellWord', () => {
  const values = ['plain', "it's", 'a b', '$HOME `id` $(id)', '*?[x]', "''", '-F', 'C:\\path', ''];

  it('quote any value into one word the shell reads back unchanged', () => {
    for (const value of values) {
      assert.equal(throughShell(shellQuote(value)), value, value);
      if (value !== '') assert.equal(throughShell(shellWord(value)), value, value);
    }
  });

  it('shellWord leaves words with nothing to interpret bare', () => {
    assert.equal(shellWord('/usr/bin/ssh'), '/usr/bin/ssh');
    assert.equal(shellWord('algo-2.job.training.sagemaker'), 'algo-2.job.training.sagemaker');
    assert.equal(shellWord('a b'), "'a b'");
  });
});
