/**
 * Set key and data types as nft declares them, and values encoded for them: concatenated type
 * ids, 4-byte field padding, byte orders, ranges.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/netlink/errors.js';
import { encodeValue, prefixRange, resolveType, successor } from '../../../src/nft/set-types.js';

describe('types', () => {
  it('single datatypes with their lengths and byte orders', () => {
    expect(resolveType('ipv4_addr', 'key')).toMatchObject({ type: 7, len: 4, byteorder: 2 });
    expect(resolveType('inet_service', 'key')).toMatchObject({ type: 13, len: 2, byteorder: 2 });
    expect(resolveType('mark', 'key')).toMatchObject({ type: 19, len: 4, byteorder: 1 });
    expect(resolveType('verdict', 'data')).toEqual({ type: 0xffffff00, len: 0 });
  });

  it('a concatenation: ids shifted 6 bits at a time, fields padded to 4 bytes', () => {
    expect(resolveType(['ipv4_addr', 'inet_service'], 'key')).toMatchObject({ type: (7 << 6) | 13, len: 8, fields: [4, 2] });
    expect(resolveType(['ipv6_addr', 'inet_proto', 'inet_service'], 'key')).toMatchObject({ type: (((8 << 6) | 12) << 6) | 13, len: 24, fields: [16, 1, 2] });
  });

  it('raw { type, len } for datatypes without a fixed length', () => {
    expect(resolveType({ type: 5, len: 16 }, 'key')).toEqual({ type: 5, len: 16 });
    expect(() => resolveType('string' as never, 'key')).toThrow(ValidationError);
  });
});

describe('values', () => {
  it('addresses, ports (big-endian), marks (host order), interface names (NUL-padded)', () => {
    expect([...encodeValue(resolveType('ipv6_addr', 'k'), '2001:db8::1', 'k')]).toEqual([0x20, 1, 0xd, 0xb8, ...new Array(11).fill(0), 1]);
    expect([...encodeValue(resolveType('inet_service', 'k'), 443, 'k')]).toEqual([1, 0xbb]);
    expect([...encodeValue(resolveType('mark', 'k'), 1, 'k')]).toEqual([1, 0, 0, 0]);
    expect([...encodeValue(resolveType('ifname', 'k'), 'eth0', 'k')]).toEqual([101, 116, 104, 48, ...new Array(12).fill(0)]);
    expect([...encodeValue(resolveType('ether_addr', 'k'), '02:00:00:00:00:01', 'k')]).toEqual([2, 0, 0, 0, 0, 1]);
  });

  it('a concatenation value pads each field to 4 bytes', () => {
    expect([...encodeValue(resolveType(['ipv4_addr', 'inet_service'], 'k'), ['10.0.0.2', 80], 'k')]).toEqual([10, 0, 0, 2, 0, 80, 0, 0]);
  });

  it('refuses values of the wrong kind', () => {
    expect(() => encodeValue(resolveType('ipv4_addr', 'k'), '2001:db8::1', 'k')).toThrow(ValidationError);
    expect(() => encodeValue(resolveType('inet_service', 'k'), -1, 'k')).toThrow(ValidationError);
    expect(() => encodeValue(resolveType('ifname', 'k'), 'a-very-long-interface', 'k')).toThrow(ValidationError);
    expect(() => encodeValue(resolveType('inet_service', 'k'), Uint8Array.of(1), 'k')).toThrow(ValidationError);
  });

  it('ranges: prefixes to first/last, one past the end, no end past the top', () => {
    expect(prefixRange('10.1.2.3/16', 'k').map((b) => [...b])).toEqual([[10, 1, 0, 0], [10, 1, 255, 255]]);
    expect([...successor(Uint8Array.of(10, 255, 255, 255))!]).toEqual([11, 0, 0, 0]);
    expect(successor(Uint8Array.of(255, 255))).toBeUndefined();
  });
});
