/**
 * The data register: values and verdicts against hand-checked bytes (nf_tables.h:
 * NFTA_DATA_VALUE = 1, NFTA_DATA_VERDICT = 2 { NFTA_VERDICT_CODE = 1 (be32), NFTA_VERDICT_CHAIN = 2 }),
 * and libnftnl's way of printing register words.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/netlink/errors.js';
import { Writer } from '../../../src/netlink/writer.js';
import { dataCodec, describeData, describeValue, verdict, VerdictCode, verdictCodec, type Data } from '../../../src/nft/expressions/index.js';
import { fromHex, hex } from '../../helpers/hex.js';

function encode(value: Data): string {
  const w = new Writer();
  dataCodec.encode(w, value, 'data');
  return hex(w.finish());
}

describe('data register', () => {
  it('a value is NFTA_DATA_VALUE with the bytes as given', () => {
    expect(encode({ value: Uint8Array.of(10, 0, 0, 1) })).toBe('080001000a000001');
    expect(dataCodec.decode(fromHex('080001000a000001'), 0, 'data')).toEqual({ value: Uint8Array.of(10, 0, 0, 1) });
  });

  it('a verdict is a nest with a big-endian signed code, and the chain for jump/goto', () => {
    // accept: NF_ACCEPT = 1
    expect(encode(verdict('accept'))).toBe('0c000280080001000000000' + '1');
    // jump: NFT_JUMP = -3 = 0xfffffffd, then "other\0" (10 bytes with its header, padded to 12)
    const jump = '18000280' + '08000100fffffffd' + '0a0002006f7468657200' + '0000';
    expect(encode(verdict('jump', 'other'))).toBe(jump);
    expect(dataCodec.decode(fromHex(jump), 0, 'data')).toEqual(verdict('jump', 'other'));
  });

  it('every verdict code has the kernel number', () => {
    expect(VerdictCode).toEqual({ drop: 0, accept: 1, stolen: 2, queue: 3, repeat: 4, stop: 5, continue: -1, break: -2, jump: -3, goto: -4, return: -5 });
    for (const [name, code] of Object.entries(VerdictCode)) {
      const w = new Writer();
      verdictCodec.encode(w, { code: name as keyof typeof VerdictCode }, 'verdict');
      const bytes = w.finish();
      expect(new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getInt32(4, false)).toBe(code);
    }
  });

  it('an unknown verdict code (NF_QUEUE with a queue number) survives as a number', () => {
    const queue3 = (3 << 16) | VerdictCode.queue;
    const w = new Writer();
    verdictCodec.encode(w, { code: queue3 }, 'verdict');
    expect(verdictCodec.decode(w.finish().slice(), 0, 'verdict')).toEqual({ code: queue3 });
  });

  it('values must be 1 to 64 bytes (NFT_DATA_VALUE_MAXLEN): a ValidationError names the field', () => {
    expect(() => encode({ value: new Uint8Array(0) })).toThrow(ValidationError);
    expect(() => encode({ value: new Uint8Array(65) })).toThrow(/data\.value: must be 1 to 64 bytes, got 65/);
    expect(encode({ value: new Uint8Array(64) })).toHaveLength(2 * (4 + 64));
  });

  it('an unknown verdict name is a ValidationError', () => {
    expect(() => encode({ verdict: { code: 'maybe' as never } })).toThrow(ValidationError);
  });
});

describe('libnftnl register printing', () => {
  it('prints 32-bit words in host order, the last one zero-padded', () => {
    expect(describeValue(Uint8Array.of(0xc0, 0xa8, 0x0f))).toBe('0x000fa8c0');
    expect(describeValue(Uint8Array.of(10, 0, 0, 1))).toBe('0x0100000a');
    expect(describeValue(new TextEncoder().encode('v-net-0\0\0\0\0\0\0\0\0\0'))).toBe('0x656e2d76 0x00302d74 0x00000000 0x00000000');
  });

  it('prints verdicts by name, jump and goto with the chain', () => {
    expect(describeData(verdict('drop'))).toBe('drop');
    expect(describeData(verdict('goto', 'x'))).toBe('goto -> x');
    expect(describeData({ verdict: { code: 99 } })).toBe('unknown');
    expect(describeData(undefined)).toBe('');
  });
});
