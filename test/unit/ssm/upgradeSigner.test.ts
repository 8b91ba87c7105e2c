import { strict as assert } from 'node:assert';
import { createSigV4UpgradeSigner } from '../../../src/ssm/sigv4UpgradeSigner';
import { isPresignedStreamUrl } from '../../../src/ssm/upgradeSigner';

describe('data-channel upgrade signing', () => {
  it('recognises presigned StreamUrls', () => {
    assert.equal(
      isPresignedStreamUrl('wss://h/v1/data-channel/s?role=publish_subscribe&cell-number=ab+/='),
      false,
    );
    assert.equal(
      isPresignedStreamUrl('wss://h/v1/data-channel/s?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=x'),
      true,
    );
    assert.equal(isPresignedStreamUrl('wss://h/v1/data-channel/s?x-amz-security-token=abc'), true);
    assert.equal(isPresignedStreamUrl('wss://h/v1/data-channel/s'), false);
  });

  it('signs for ssmmessages in the session region, without a host header in the result', async () => {
    const signer = createSigV4UpgradeSigner({
      region: 'eu-central-1',
      credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
    });
    const headers = await signer.signUpgrade(
      'wss://ssmmessages.eu-central-1.amazonaws.com/v1/data-channel/s-1?role=publish_subscribe&cell-number=a+b/c=',
    );
    assert.match(
      headers.authorization,
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/ssmmessages\/aws4_request, SignedHeaders=host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    assert.equal(headers.host, undefined);
    assert.equal(headers['x-amz-security-token'], undefined);
  });
});
