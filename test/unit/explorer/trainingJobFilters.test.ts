import * as assert from 'node:assert/strict';
import { describeFilters, hasFilters, sanitizeFilters } from '../../../src/explorer/trainingJobFilters';

describe('training job filters', () => {
  it('describes active filters for the view description', () => {
    assert.equal(
      describeFilters({
        status: 'InProgress',
        nameContains: 'bert',
        createdWithinDays: 7,
        onlyMine: true,
        onlySshReady: true,
      }),
      'InProgress · name: bert · 7 d · mine · SSH-ready',
    );
    assert.equal(hasFilters({}), false);
    assert.equal(hasFilters({ onlyMine: false }), false);
  });

  it('drops malformed persisted values', () => {
    assert.deepEqual(
      sanitizeFilters({ status: '  ', createdWithinDays: -3, onlyMine: 'yes', nameContains: ' x ' }),
      {
        status: undefined,
        nameContains: 'x',
        createdWithinDays: undefined,
        onlyMine: undefined,
        onlySshReady: undefined,
      },
    );
    assert.deepEqual(sanitizeFilters(null), {});
  });
});
