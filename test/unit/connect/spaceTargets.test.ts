import * as assert from 'node:assert/strict';
import type { AwsConnection } from '../../../src/aws/awsAccess';
import { hostKeyLine } from '../../../src/connect/spaceHostKeys';
import { resolveSshNode } from '../../../src/connect/resolveTarget';
import { studioSpaceTarget } from '../../../src/targets/studioSpace';

describe('Studio spaces in the payload paths', () => {
  it('Forward Port, Stop Waiting, cp and logs refuse a space with what works instead, before any AWS call', async () => {
    const noAws = {} as AwsConnection;
    await assert.rejects(
      resolveSshNode(noAws, studioSpaceTarget('d-abc123', 'dev')),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'SpaceOperationUnsupported');
        assert.match(error.message, /Connect or Open Terminal/);
        return true;
      },
    );
  });

  it('writes a scanned host key as "<type> <base64 blob>"', () => {
    const type = Buffer.from('ssh-ed25519');
    const blob = Buffer.concat([
      Buffer.from([0, 0, 0, type.length]),
      type,
      Buffer.from([0, 0, 0, 32]),
      Buffer.alloc(32, 7),
    ]);
    assert.equal(hostKeyLine(blob), `ssh-ed25519 ${blob.toString('base64')}`);
  });
});
