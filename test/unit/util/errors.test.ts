import * as assert from 'node:assert/strict';
import { errorName } from '../../../src/util/errors';

describe('errorName', () => {
  it('reads the name an SDK error carries its AWS error code in', () => {
    const error = Object.assign(new Error('no such instance'), { name: 'InvalidInstanceId' });
    assert.equal(errorName(error), 'InvalidInstanceId');
  });

  it('is empty for what has no string name (undefined, strings, plain objects, odd names)', () => {
    for (const value of [undefined, null, 'InvalidInstanceId', 42, {}, { name: 7 }]) {
      assert.equal(errorName(value), '', JSON.stringify(value));
    }
  });
});
