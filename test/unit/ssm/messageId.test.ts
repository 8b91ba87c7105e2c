import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { readMessageId, writeMessageId, writeMessageIdText } from '../../../src/ssm/messageId';
import { InvalidMessageIdError } from '../../../src/ssm/sessionErrors';

describe('ssm message id wire order', () => {
  it('writes the least significant half first', () => {
    const wire = Buffer.alloc(16);
    writeMessageId('00112233-4455-6677-8899-aabbccddeeff', wire, 0);
    assert.equal(wire.toString('hex'), '8899aabbccddeeff0011223344556677');
  });

  it('reads back what it wrote, in lowercase', () => {
    fc.assert(
      fc.property(fc.uuid(), (uuid) => {
        const wire = Buffer.alloc(20);
        writeMessageId(uuid, wire, 2);
        assert.equal(readMessageId(wire, 2), uuid.toLowerCase());
      }),
    );
  });

  it('rejects text that is not a UUID', () => {
    assert.throws(() => writeMessageId('not-a-uuid', Buffer.alloc(16), 0), InvalidMessageIdError);
  });

  it('writes the same text as readMessageId straight into a buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.nat(8), (bytes, at) => {
        const wire = Buffer.concat([Buffer.alloc(3, 0xee), Buffer.from(bytes)]);
        const text = Buffer.alloc(36 + at + 2, 0x2a);
        writeMessageIdText(wire, 3, text, at);
        assert.equal(text.toString('latin1', at, at + 36), readMessageId(wire, 3));
        assert.equal(text.subarray(0, at).toString('latin1'), '*'.repeat(at));
        assert.equal(text.subarray(at + 36).toString('latin1'), '**');
      }),
    );
  });
});
