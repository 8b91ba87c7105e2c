import { strict as assert } from 'node:assert';
import { maskGeneratorFor, randomMask, zeroMask } from '../../../src/ssm/websocketMask';

function masksFrom(url: string, count: number): Buffer[] {
  const generate = maskGeneratorFor(url);
  return Array.from({ length: count }, () => {
    const mask = Buffer.alloc(4, 0xff);
    generate(mask);
    return mask;
  });
}

describe('ssm WebSocket masks', () => {
  it('uses the zero key inside TLS, where no intermediary sees the frames', () => {
    assert.equal(
      maskGeneratorFor(
        'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/s-1?role=publish_subscribe',
      ),
      zeroMask,
    );
    for (const mask of masksFrom('wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/x', 3))
      assert.deepEqual([...mask], [0, 0, 0, 0]);
  });

  it('uses the zero key on loopback, by name, IPv4 range or IPv6', () => {
    for (const url of ['ws://127.0.0.1:4566/x', 'ws://127.8.9.10/x', 'ws://localhost:80/x', 'ws://[::1]:9/x'])
      assert.equal(maskGeneratorFor(url), zeroMask, url);
  });

  it('keeps fresh random, never-zero keys for plain ws:// across a network', () => {
    for (const url of ['ws://10.0.0.5/x', 'ws://proxy.example.com/x', 'ws://[2001:db8::1]/x', 'not a url'])
      assert.equal(maskGeneratorFor(url), randomMask, url);
    const masks = masksFrom('ws://proxy.example.com/x', 4000);
    assert.ok(masks.every((mask) => mask.readUInt32BE(0) !== 0));
    assert.ok(new Set(masks.map((mask) => mask.toString('hex'))).size > 3900, 'keys vary');
  });
});
