import * as assert from 'node:assert/strict';
import { errorCode, errorName, httpStatusOf, isAwsError } from '../../../src/util/errors';

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

describe('errorCode, httpStatusOf', () => {
  it("read a Node error's code and an SDK error's HTTP status, and nothing from what lacks them", () => {
    const network = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    const denied = Object.assign(new Error('denied'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    assert.equal(errorCode(network), 'ECONNREFUSED');
    assert.equal(httpStatusOf(denied), 403);
    for (const value of [
      undefined,
      null,
      'ECONNREFUSED',
      {},
      { code: 7, $metadata: { httpStatusCode: '403' } },
    ]) {
      assert.equal(errorCode(value), '', JSON.stringify(value));
      assert.equal(httpStatusOf(value), undefined, JSON.stringify(value));
    }
  });
});

describe('isAwsError', () => {
  const invalidInstance = Object.assign(new Error('no such instance'), { name: 'InvalidInstanceId' });

  it('narrows an SDK error by its AWS error code, one of several names, or any name', () => {
    assert.equal(isAwsError(invalidInstance, 'InvalidInstanceId'), true);
    assert.equal(isAwsError(invalidInstance, 'ThrottlingException', 'InvalidInstanceId'), true);
    assert.equal(isAwsError(invalidInstance, 'ValidationException'), false);
    assert.equal(isAwsError(invalidInstance), true);
  });

  it('is false for what is not an Error, even with the right name', () => {
    for (const value of [undefined, null, 'InvalidInstanceId', { name: 'InvalidInstanceId' }]) {
      assert.equal(isAwsError(value, 'InvalidInstanceId'), false, JSON.stringify(value));
    }
  });
});
