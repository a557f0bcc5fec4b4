/**
 * Address text as the kernel's users print it: IPv6 in RFC 5952 form (the form inet_ntop and
 * `ip` print: lowercase, no leading zeros, the longest run of two or more zero groups as "::",
 * the first of equal runs), IPv4-mapped with a dotted tail; link-layer addresses as lowercase
 * hex pairs. Checked against Node's own formatter (net.SocketAddress normalises IPv6 through
 * inet_ntop) on generated addresses rich in zero runs. IPv4 text is accepted exactly when
 * Node's own strict dotted-decimal check (net.isIPv4: no leading zeros, no octet above 255)
 * accepts it, on strings made of digits and dots.
 */
import fc from 'fast-check';
import { isIPv4, SocketAddress } from 'node:net';
import { describe, expect, it } from 'vitest';
import { formatIp, formatIpv4At, formatLinkAddress, parseIp, parseLinkAddress } from '../../src/netlink/addresses.js';

const RUNS = Number(process.env.NETNS_TS_PROPERTY_RUNS ?? 1000);

/** 16 bytes whose 16-bit groups are often zero, so every "::" placement is exercised. */
const ipv6Bytes = fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }).map((groups) => {
  const b = new Uint8Array(16);
  groups.forEach((g, i) => {
    b[2 * i] = g >> 8;
    b[2 * i + 1] = g & 0xff;
  });
  return b;
});

function inetNtop(bytes: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  return new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address;
}

describe('address formatting (property)', () => {
  it('IPv6 text equals inet_ntop, and parses back to the same bytes', () => {
    fc.assert(
      fc.property(ipv6Bytes, (bytes) => {
        const text = formatIp(bytes);
        expect(parseIp(text).bytes).toEqual(bytes);
        const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
        // (inet_ntop also prints IPv4-compatible ::a.b.c.d; we, like `ip`, only the mapped form.)
        const compatible = bytes.subarray(0, 12).every((b) => b === 0) && !(bytes[12] === 0 && bytes[13] === 0);
        if (!compatible) expect(text).toBe(mapped ? `::ffff:${bytes.subarray(12).join('.')}` : inetNtop(bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it('IPv4 text parses exactly when net.isIPv4 accepts it, to the octets written', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.stringMatching(/^[0-9]{0,4}$/));
    const dotted = fc.oneof(
      fc.array(octet, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.')),
      fc.stringMatching(/^[0-9.]{0,17}$/),
    );
    fc.assert(
      fc.property(dotted, (text) => {
        const valid = isIPv4(text);
        let parsed: Uint8Array | undefined;
        try {
          parsed = parseIp(text, 'address', 4).bytes;
        } catch {
          parsed = undefined;
        }
        expect(parsed !== undefined).toBe(valid);
        if (parsed) expect(Array.from(parsed)).toEqual(text.split('.').map(Number));
      }),
      { numRuns: RUNS },
    );
  });

  it('IPv4 text is the dotted quad of the bytes wherever they lie, whatever was written before', () => {
    // Addresses sharing a /24, and others whose prefixes fall in the same slot of the cache
    // of recent prefixes (formatIpv4At): each one's text is still its own.
    const near = fc.tuple(fc.constantFrom(10, 192), fc.nat(3), fc.nat(3), fc.nat(255));
    const quads = fc.array(fc.oneof(near, fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(quads, fc.nat(8), (list, pad) => {
        for (const quad of list) {
          const bytes = Uint8Array.from(quad);
          expect(formatIp(bytes)).toBe(quad.join('.'));
          const wider = new Uint8Array(pad + 4 + pad).fill(0xa5);
          wider.set(bytes, pad);
          expect(formatIpv4At(wider, pad)).toBe(quad.join('.'));
          expect(isIPv4(formatIp(bytes))).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('link-layer text is lowercase hex pairs, also for a slice of a larger buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 32 }), fc.nat(8), (bytes, pad) => {
        const text = formatLinkAddress(bytes);
        expect(text).toBe(Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':'));
        expect(parseLinkAddress(text, 'lladdr')).toEqual(bytes);
        const wider = new Uint8Array(pad + bytes.length + pad);
        wider.set(bytes, pad);
        expect(formatLinkAddress(wider, pad, pad + bytes.length)).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });
});
