import { describe, expect, it } from 'vitest';
import { defineAttributeSet } from '../../src/netlink/attribute-set.js';
import { binary, cstring, enumOf, flag, flagsOf, ipAddress, u16be, u32, u64, u8 } from '../../src/netlink/fields.js';
import { DecodeError, ValidationError } from '../../src/netlink/errors.js';
import { decodeRawAttributes, encodeRawAttributes } from '../../src/netlink/raw-attributes.js';
import { Writer } from '../../src/netlink/writer.js';
import { defineGrowableStruct, defineStruct } from '../../src/netlink/struct.js';
import { fromHex, rows } from '../helpers/hex.js';

const inner = defineAttributeSet('inner', {
  name: { type: 1, codec: cstring },
  port: { type: 2, codec: u16be },
});
const outer = defineAttributeSet('outer', {
  mtu: { type: 4, codec: u32 },
  ifname: { type: 3, codec: cstring },
  info: { type: 18, codec: inner },
  alt: { type: 53, codec: cstring, repeated: true },
  up: { type: 9, codec: flag },
  mode: { type: 7, codec: enumOf(u8, { bridge: 4, vepa: 2 }) },
  opts: { type: 8, codec: flagsOf(u32, { a: 1, b: 2 }) },
  addr: { type: 10, codec: ipAddress },
  bytes: { type: 11, codec: u64 },
  blob: { type: 12, codec: binary },
});

function encode(value: Parameters<typeof outer.encode>[1]): Uint8Array {
  const w = new Writer();
  outer.encode(w, value, '');
  return w.finish().slice();
}

describe('attribute sets declared as data', () => {
  it('encodes to the exact bytes, padding strings and setting NLA_F_NESTED on nests', () => {
    const bytes = encode({ ifname: 'eth0', info: { name: 'veth', port: 80 } });
    expect(rows(bytes)).toBe(rows(fromHex(
      // IFLA_IFNAME len 9 "eth0\0" + 3 pad
      '0900 0300 65746830 00 000000' +
      // nested type 18 | NLA_F_NESTED (0x8012), len 4+12+8=20... name "veth\0"(len 9 → 12) + port (len 6 → 8)
      '1800 1280 0900 0100 76657468 00 000000 0600 0200 0050 0000',
    )));
  });

  it('round-trips every codec kind and keeps the decoded value equal', () => {
    const value = {
      mtu: 1500, ifname: 'veth-red', info: { name: 'x', port: 65535 }, alt: ['one', 'two'], up: true as const,
      mode: 'bridge' as const, opts: ['a' as const, 'b' as const], addr: '2001:db8::1', bytes: 2n ** 63n + 5n, blob: Uint8Array.of(1, 2, 3),
    };
    const decoded = outer.decode(encode(value), 0, '');
    expect(decoded).toEqual(value);
  });

  it('keeps unknown attributes, unknown enum values and unknown flag bits, and re-emits them in wire order', () => {
    // mode 9 (unknown value), opts with bit 0x40 unknown, an unknown attribute type 99 between known ones.
    const wire = fromHex('0500 0700 09 000000' + '0800 6300 deadbeef' + '0800 0800 41000000' + '0800 0400 dc050000');
    const decoded = outer.decode(wire, 0, '');
    expect(decoded.mode).toBe(9);
    expect(decoded.opts).toEqual(['a', 0x40]);
    expect(decoded.unknown).toEqual([{ type: 99, nested: false, netByteOrder: false, value: fromHex('deadbeef') }]);
    expect(decoded.mtu).toBe(1500);
    expect(rows(encode(decoded))).toBe(rows(wire));
  });

  it('keeps the nested flag as the kernel sent it (IFLA_LINKINFO comes without NLA_F_NESTED)', () => {
    const wire = fromHex('0c00 1200 0600 0200 0016 0000');
    const decoded = outer.decode(wire, 0, '');
    expect(decoded.info).toEqual({ port: 22 });
    expect(rows(encode(decoded))).toBe(rows(wire));
  });

  it('refuses unknown keys and out-of-range values with a ValidationError naming the path', () => {
    expect(() => encode({ mtuu: 1 } as never)).toThrow(ValidationError);
    expect(() => encode({ info: { port: 70000 } })).toThrow(/info\.port/);
    expect(() => encode({ mode: 'nope' as never })).toThrow(/mode: unknown value 'nope'/);
    expect(() => encode({ addr: '1.2.3' })).toThrow(ValidationError);
  });

  it('decode errors name the attribute path and the offset', () => {
    const wire = fromHex('0c00 1200 0500 0200 00 000000'); // port with 1 byte instead of 2
    try {
      outer.decode(wire, 16, '');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DecodeError);
      expect((err as DecodeError).path).toBe('info.port');
      expect((err as DecodeError).offset).toBe(16 + 4 + 4);
    }
  });

  it('undefined means absent and 0 means zero', () => {
    const decoded = outer.decode(encode({ mtu: 0, ifname: '' }), 0, '');
    expect(decoded).toEqual({ mtu: 0, ifname: '' });
    expect('bytes' in decoded).toBe(false);
  });

  it('records where each attribute was written, relative to the message header', () => {
    const w = new Writer(64, 32);
    outer.encode(w, { ifname: 'a', info: { port: 1 } }, '');
    expect(w.spans.map((s) => [s.path, s.start])).toEqual([
      ['ifname', 32],
      ['info.port', 32 + 8 + 4],
      ['info', 32 + 8],
    ]);
  });
});

describe('flags', () => {
  it('names bit 31 too (0x80000000 must not be compared as a negative number)', () => {
    const codec = flagsOf(u32, { low: 1, top: 0x80000000 });
    expect(codec.decode(Uint8Array.of(1, 0, 0, 0x80), 0, 'f')).toEqual(['low', 'top']);
    const w = new Writer();
    codec.encode(w, ['low', 'top'], 'f');
    expect([...w.finish()]).toEqual([1, 0, 0, 0x80]);
  });

  it('binary refuses what is not bytes instead of writing nothing', () => {
    const set = defineAttributeSet('b', { blob: { type: 1, codec: binary } });
    expect(() => set.encode(new Writer(), { blob: 'abc' as never }, '')).toThrow(ValidationError);
  });
});

describe('raw attribute layer', () => {
  it('splits and rejoins bytes exactly, flags included', () => {
    const wire = fromHex('0800 0180 01020304' + '0500 0240 ff 000000' + '0400 0300');
    const attrs = decodeRawAttributes(wire);
    expect(attrs.map((a) => [a.type, a.nested, a.netByteOrder, a.value.length])).toEqual([[1, true, false, 4], [2, false, true, 1], [3, false, false, 0]]);
    expect(rows(encodeRawAttributes(attrs))).toBe(rows(wire));
  });

  it('refuses lengths that run past the end or under the header', () => {
    expect(() => decodeRawAttributes(fromHex('0900 0100 0102'))).toThrow(DecodeError);
    expect(() => decodeRawAttributes(fromHex('0200 0100'))).toThrow(DecodeError);
    expect(() => decodeRawAttributes(fromHex('0800 01'))).toThrow(DecodeError);
  });
});

describe('structs declared as data', () => {
  const ifinfomsg = defineStruct('ifinfomsg', { family: 'u8', _pad: { pad: 1 }, type: 'u16', index: 's32', flags: 'u32', change: 'u32' });
  const stats = defineGrowableStruct('stats', { rx: 'u64', tx: 'u64', port: 'u16be' });

  it('decodes with binary-parser and encodes from the same table', () => {
    const bytes = fromHex('00 00 0100 02000000 41100100 ffffffff');
    const v = ifinfomsg.decode(bytes, 0, '');
    expect(v).toEqual({ family: 0, type: 1, index: 2, flags: 0x11041, change: 0xffffffff });
    const w = new Writer();
    ifinfomsg.encode(w, v, '');
    expect(rows(w.finish())).toBe(rows(bytes));
  });

  it('growable structs accept a shorter struct (older kernel) and keep a longer one\'s tail', () => {
    const full = fromHex('0100000000000000 0200000000000000 0050');
    expect(stats.decode(full, 0, '')).toEqual({ rx: 1n, tx: 2n, port: 80 });
    const short = full.subarray(0, 8);
    const s = stats.decode(short, 0, '');
    expect(s).toEqual({ rx: 1n });
    const longer = fromHex('0100000000000000 0200000000000000 0050 abcd');
    const l = stats.decode(longer, 0, '');
    expect(l.tail).toEqual(fromHex('abcd'));
    for (const [value, bytes] of [[s, short], [l, longer]] as const) {
      const w = new Writer();
      stats.encode(w, value, '');
      expect(rows(w.finish())).toBe(rows(bytes));
    }
    expect(() => stats.decode(full.subarray(0, 12), 0, '')).toThrow(DecodeError);
  });

  it('fixed structs refuse other sizes, both ways: no tail is decoded, and none is written', () => {
    expect(() => ifinfomsg.decode(new Uint8Array(15), 0, '')).toThrow(DecodeError);
    expect(() => ifinfomsg.decode(new Uint8Array(17), 0, '')).toThrow(DecodeError);
    const w = new Writer();
    const withTail = { family: 0, type: 1, index: 2, flags: 0, change: 0, tail: fromHex('abcd') };
    expect(() => ifinfomsg.encode(w, withTail as never, 'header')).toThrow(new ValidationError('header.tail', 'struct ifinfomsg is 16 bytes: it has no tail', withTail.tail));
    expect(w.length).toBe(0);
  });
});
