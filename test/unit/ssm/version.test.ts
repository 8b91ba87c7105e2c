import { strict as assert } from 'node:assert';
import {
  agentRequiresSmuxKeepalive,
  agentSupportsTerminateFlag,
  agentUsesMux,
  CLIENT_VERSION,
  compareVersions,
  isVersionAbove,
  parseFourPartVersion,
} from '../../../src/ssm/version';

describe('ssm versions', () => {
  it('parses only 4-part numeric versions', () => {
    assert.deepEqual(parseFourPartVersion('3.3.987.0'), [3, 3, 987, 0]);
    assert.equal(parseFourPartVersion('3.3.987'), undefined);
    assert.equal(parseFourPartVersion('1.2.x.0'), undefined);
  });

  it('compares numerically, component by component', () => {
    assert.ok((compareVersions('3.1.1511.0', '3.1.999.0') ?? 0) > 0);
    assert.ok((compareVersions('2.9.9.9', '3.0.0.0') ?? 0) < 0);
    assert.equal(compareVersions('1.0.0.0', '1.0.0.0'), 0);
    assert.equal(compareVersions('1.0.0', '1.0.0.0'), undefined);
    assert.equal(isVersionAbove('1.0.0', '0.0.0.0'), false);
  });

  it('applies the plugin thresholds to agent versions', () => {
    assert.equal(agentSupportsTerminateFlag('2.3.722.0'), false);
    assert.equal(agentSupportsTerminateFlag('2.3.723.0'), true);
    assert.equal(agentUsesMux('3.0.196.0'), false);
    assert.equal(agentRequiresSmuxKeepalive('3.1.1511.0'), true);
    assert.equal(agentRequiresSmuxKeepalive('3.1.1512.0'), false);
    assert.equal(agentRequiresSmuxKeepalive('3.0.100.0'), false, 'no mux, so no smux keepalive');
  });

  it('reports a client version that turns on mux and turns off agent keepalive', () => {
    assert.ok(isVersionAbove(CLIENT_VERSION, '1.2.331.0'));
    assert.ok((compareVersions(CLIENT_VERSION, '1.1.70.0') ?? -1) >= 0);
  });
});
