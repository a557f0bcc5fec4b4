/**
 * Whole messages (family header + attributes) of the address, route, neighbour, nsid and
 * netconf families round-trip with generated values, and their decoders, fed arbitrary or
 * mutated bytes, only ever throw DecodeError.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { DecodeError } from '../../../src/netlink/errors.js';
import { bodyWriter } from '../../../src/netlink/message.js';
import { addressAttributes, addressMessage, ifaddrmsg } from '../../../src/netlink/route/address.js';
import { ndmsg, neighbourAttributes, neighbourMessage } from '../../../src/netlink/route/neighbour.js';
import { netconfAttributes, netconfMessage, netconfmsg } from '../../../src/netlink/route/netconf.js';
import { nsidAttributes, nsidMessage, rtgenmsg } from '../../../src/netlink/route/nsid.js';
import { routeNexthops } from '../../../src/netlink/route/route-nexthops.js';
import { routeMessage, rtmsg } from '../../../src/netlink/route/route.js';
import type { RouteMessageFamily } from '../../../src/netlink/route/route-message-codec.js';
import { compileDecodePlan } from '../../../src/netlink/decode-plan.js';
import { align4 } from '../../../src/netlink/writer.js';
import { RUNS, arbitraryOf } from '../../helpers/arbitrary.js';
import { routeAttributesArbitrary } from './route-arbitraries.js';

/** Thousands of generated nested messages take a while on a loaded 2-core machine. */
vi.setConfig({ testTimeout: 180_000 });

function onlyDecodeErrors(decode: () => unknown): void {
  try {
    decode();
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
  }
}

const families: Array<[string, RouteMessageFamily<any, any>, fc.Arbitrary<any>]> = [
  ['address', addressMessage, fc.record({ header: arbitraryOf(ifaddrmsg), attributes: arbitraryOf(addressAttributes) })],
  ['route', routeMessage, fc.record({ header: arbitraryOf(rtmsg), attributes: routeAttributesArbitrary })],
  ['neighbour', neighbourMessage, fc.record({ header: arbitraryOf(ndmsg), attributes: arbitraryOf(neighbourAttributes) })],
  ['nsid', nsidMessage, fc.record({ header: arbitraryOf(rtgenmsg), attributes: arbitraryOf(nsidAttributes) })],
  ['netconf', netconfMessage, fc.record({ header: arbitraryOf(netconfmsg), attributes: arbitraryOf(netconfAttributes) })],
];

function encodeMessageBody(family: RouteMessageFamily<any, any>, value: unknown): Uint8Array {
  const w = bodyWriter();
  family.encode(w, value as never);
  return w.finish().slice();
}

describe('rtnetlink messages (header + attributes) round-trip', () => {
  for (const [name, family, arbitrary] of families) {
    it(name, () => {
      fc.assert(
        fc.property(arbitrary, (value) => {
          const bytes = encodeMessageBody(family, value);
          const decoded = family.decode(bytes, 16);
          expect(decoded).toEqual(value);
          expect(encodeMessageBody(family, decoded)).toEqual(bytes);
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe('the compiled fast decode plan agrees with the generic decoders', () => {
  const generic = (family: RouteMessageFamily<any, any>, bytes: Uint8Array) => ({
    header: family.header.decodeAt(bytes, 16, ''),
    attributes: family.attributes.decode(bytes.subarray(align4(family.header.size)), 16 + align4(family.header.size), ''),
  });
  const hasUnknown = (v: { attributes: Record<string, unknown> }) =>
    v.attributes.unknown !== undefined || (v.attributes.metrics as { unknown?: unknown } | undefined)?.unknown !== undefined;

  for (const [name, family, arbitrary] of families) {
    const plan = compileDecodePlan(family.header, family.attributes, align4(family.header.size))!;
    it(`${name}: generated messages (taken whenever nothing is unknown)`, () => {
      expect(plan).toBeDefined();
      fc.assert(
        fc.property(arbitrary, (value) => {
          const bytes = encodeMessageBody(family, value);
          const fast = plan(bytes);
          if (!hasUnknown(value)) expect(fast).toBeDefined();
          if (fast !== undefined) expect(fast).toEqual(generic(family, bytes));
        }),
        { numRuns: RUNS },
      );
    });
    it(`${name}: arbitrary bytes (it gives up rather than disagree)`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 128 }), (bytes) => {
          const fast = plan(bytes);
          if (fast !== undefined) expect(fast).toEqual(generic(family, bytes));
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe('rtnetlink decoders only ever throw DecodeError', () => {
  const mutate = (bytes: Uint8Array) =>
    fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat()).map(([flips, cut]) => {
      const out = bytes.slice();
      for (const [at, v] of flips) if (out.length) out[at % out.length] = v;
      return out.subarray(0, out.length ? cut % (out.length + 1) : 0);
    });
  for (const [name, family, arbitrary] of families) {
    it(`${name}: arbitrary bytes`, () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), (b) => onlyDecodeErrors(() => family.decode(b, 16))), { numRuns: RUNS });
    });
    it(`${name}: mutated valid messages`, () => {
      fc.assert(
        fc.property(arbitrary.chain((v) => mutate(encodeMessageBody(family, v))), (b) => onlyDecodeErrors(() => family.decode(b, 16))),
        { numRuns: RUNS },
      );
    });
  }
  it('rtnexthop list: arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 128 }), (b) => onlyDecodeErrors(() => routeNexthops.decode(b, 0, 'multipath'))), { numRuns: RUNS });
  });
});

/**
 * A body read where it lies in its datagram (decodeIn, as the typed listings read dump replies)
 * gives what decoding it alone gives: the same value, or the same DecodeError. The datagram has
 * bytes before and after the body, none zero, so reading outside it would show.
 */
describe('a body decoded in place in its datagram equals the body decoded alone', () => {
  const AT = 16;
  const inDatagram = (body: Uint8Array): Uint8Array => {
    const datagram = new Uint8Array(AT + body.length + 12).fill(0xa5);
    datagram.set(body, AT);
    return datagram;
  };
  const outcome = (decode: () => unknown): unknown => {
    try {
      return { value: decode() };
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      return { path: err.path, offset: err.offset, message: err.message };
    }
  };
  const same = (family: RouteMessageFamily<any, any>, body: Uint8Array): void => {
    expect(outcome(() => family.decodeIn(inDatagram(body), AT, AT + body.length))).toEqual(outcome(() => family.decode(body, AT)));
  };
  for (const [name, family, arbitrary] of families) {
    it(`${name}: generated messages, then compiled (after the uses of tier-up.ts)`, () => {
      // Both before and after the family's plan is compiled (it tiers up within the first runs).
      fc.assert(fc.property(arbitrary, (value) => same(family, encodeMessageBody(family, value))), { numRuns: RUNS });
    });
    it(`${name}: arbitrary bytes`, () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 160 }), (body) => same(family, body)), { numRuns: RUNS });
    });
  }
});
