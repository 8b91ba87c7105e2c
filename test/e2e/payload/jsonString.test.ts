import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runHostProcess } from '../../emulator/containers/processes';
import { PACKAGE_DIR } from './support/payloadWorld';

const helpers = path.join(PACKAGE_DIR, 'sm-helper-functions');

/** The payload's `_sm_json_string`, run by bash as sm-init-ssm and sm-ssh-ide run it. */
async function jsonString(value: string, locale = 'C.UTF-8'): Promise<string> {
  const result = await runHostProcess('bash', ['-c', '. "$0"; _sm_json_string "$1"', helpers, value], {
    env: { PATH: process.env.PATH, LC_ALL: locale },
  });
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

describe('payload: _sm_json_string makes valid JSON of any text', () => {
  // 0x00 cannot reach it: neither an argument nor a bash string can hold NUL.
  const controls = Array.from({ length: 31 }, (_, index) => String.fromCharCode(index + 1));

  it('escapes every control character 0x01-0x1f, alone and in one string', async () => {
    for (const control of controls) {
      const literal = await jsonString(`a${control}b`);
      assert.ok(
        [...literal].every((char) => char >= ' '),
        `0x${control.charCodeAt(0).toString(16)} left raw`,
      );
      assert.equal(JSON.parse(literal), `a${control}b`);
    }
    const all = controls.join('');
    assert.equal(JSON.parse(await jsonString(all)), all);
  });

  it('keeps quotes, backslashes and non-ASCII text exact, in a UTF-8 and in the C locale', async () => {
    const value = `it's "quoted" \\back\\slash\\u0041 $HOME é ü 日本\nline\ttab\x1b[0m`;
    for (const locale of ['C.UTF-8', 'C']) {
      assert.equal(JSON.parse(await jsonString(value, locale)), value);
    }
  });
});
