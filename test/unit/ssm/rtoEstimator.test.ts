import { strict as assert } from 'node:assert';
import { RtoEstimator } from '../../../src/ssm/rtoEstimator';

describe('ssm RTO estimator (§4.5)', () => {
  it('starts at SRTT 100 ms, RTTVAR 0, RTO 200 ms', () => {
    const rto = new RtoEstimator();
    assert.equal(rto.smoothedRtt, 100);
    assert.equal(rto.rttVariance, 0);
    assert.equal(rto.rto, 200);
  });

  it('updates RTTVAR with the old SRTT, then SRTT, then RTO', () => {
    const rto = new RtoEstimator();
    rto.addSample(20);
    // RTTVAR = 0.75*0 + 0.25*|100-20| = 20; SRTT = 0.875*100 + 0.125*20 = 90; RTO = 90 + max(10, 80) = 170
    assert.equal(rto.rttVariance, 20);
    assert.equal(rto.smoothedRtt, 90);
    assert.equal(rto.rto, 170);
    rto.addSample(90);
    // RTTVAR = 15 + 0 = 15; SRTT = 90; RTO = 90 + 60
    assert.equal(rto.rttVariance, 15);
    assert.equal(rto.rto, 150);
  });

  it('never goes below SRTT + 10 ms and never above 1 s', () => {
    const fast = new RtoEstimator();
    for (let i = 0; i < 200; i += 1) fast.addSample(2);
    assert.ok(Math.abs(fast.rto - (fast.smoothedRtt + 10)) < 1e-9);
    assert.ok(fast.rto < 13);
    const slow = new RtoEstimator();
    for (let i = 0; i < 50; i += 1) slow.addSample(5000);
    assert.equal(slow.rto, 1000);
  });
});
