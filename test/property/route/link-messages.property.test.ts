/**
 * Whole link messages under generated input: they round-trip in every direction/family
 * variant, decoders given arbitrary or mutated bytes only ever throw DecodeError, and the fast
 * Link view agrees with the generic decoder. (Each attribute set alone: link-sets.property.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/netlink/errors.js';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { Writer } from '../../../src/netlink/writer.js';
import { AddressFamily } from '../../../src/netlink/route/constants.js';
import { decodeLinkMessage, encodeLinkMessage, linkAttributesFor, type LinkMessage } from '../../../src/netlink/route/link-messages.js';
import { decodeLink, linkFromMessage } from '../../../src/netlink/route/link.js';
import { RUNS } from '../../helpers/arbitrary.js';
import { linkMessageArbitrary } from './link-arbitrary.js';

const encodeMessage = (value: LinkMessage, flags: number): Uint8Array => {
  const w = new Writer();
  encodeLinkMessage(w, value, flags);
  return w.finish().slice();
};

function onlyDecodeErrors(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
  }
}

/** A whole message holds every set at once: each case costs as much as dozens of set cases. */
const FEWER = Math.max(50, Math.floor(RUNS / 10));

const variants: Array<[string, 'request' | 'reply', number]> = [
  ['reply, AF_UNSPEC', 'reply', AddressFamily.AF_UNSPEC],
  ['request, AF_UNSPEC', 'request', AddressFamily.AF_UNSPEC],
  ['reply, AF_BRIDGE', 'reply', AddressFamily.AF_BRIDGE],
  ['request, AF_BRIDGE', 'request', AddressFamily.AF_BRIDGE],
  ['reply, AF_INET6', 'reply', AddressFamily.AF_INET6],
];

describe('whole link messages', () => {
  for (const [name, direction, family] of variants) {
    const flags = direction === 'request' ? NlmFlags.NLM_F_REQUEST : NlmFlags.NLM_F_MULTI;
    it(`round-trip: ${name}`, () => {
      fc.assert(
        fc.property(linkMessageArbitrary(direction, family), (value) => {
          const bytes = encodeMessage(value as LinkMessage, flags);
          const back = decodeLinkMessage(bytes, flags);
          expect(back).toEqual(value);
          expect(encodeMessage(back, flags)).toEqual(bytes);
        }),
        { numRuns: FEWER },
      );
    });
  }

  it('the fast Link view equals the generic one on generated replies', () => {
    fc.assert(
      fc.property(linkMessageArbitrary('reply', AddressFamily.AF_UNSPEC), (value) => {
        const bytes = encodeMessage(value as LinkMessage, 0);
        const fast = decodeLink(bytes);
        const { message: _m, ...generic } = linkFromMessage(decodeLinkMessage(bytes, 0));
        expect({ ...(fast as unknown as { toJSON(): object }).toJSON() }).toEqual(generic);
        expect(fast.message).toEqual(decodeLinkMessage(bytes, 0));
      }),
      { numRuns: FEWER },
    );
  });

  it('decoders given arbitrary bytes only throw DecodeError', () => {
    const flagsArb = fc.constantFrom(0, NlmFlags.NLM_F_REQUEST);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), flagsArb, fc.constantFrom(0, 7, 10), (bytes, flags, family) => {
        if (bytes.length > 0) bytes[0] = family;
        onlyDecodeErrors(() => decodeLinkMessage(bytes, flags));
        onlyDecodeErrors(() => JSON.stringify((decodeLink({ payload: bytes, flags }) as unknown as { toJSON?: () => unknown }).toJSON?.() ?? null, (_k, v) => (typeof v === 'bigint' ? 0 : v)));
      }),
      { numRuns: RUNS },
    );
  });

  it('decoders given mutated valid messages only throw DecodeError', () => {
    const mutated = linkMessageArbitrary('reply', AddressFamily.AF_UNSPEC).chain((value) => {
      const bytes = encodeMessage(value as LinkMessage, 0);
      return fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat()).map(([flips, cut]) => {
        const out = bytes.slice();
        for (const [at, v] of flips) if (out.length) out[at % out.length] = v;
        return out.subarray(0, cut % (out.length + 1));
      });
    });
    fc.assert(
      fc.property(mutated, (bytes) => {
        onlyDecodeErrors(() => decodeLinkMessage(bytes, 0));
        onlyDecodeErrors(() => {
          const link = decodeLink(bytes) as unknown as { toJSON(): unknown; message: unknown };
          link.toJSON();
          return link.message;
        });
      }),
      { numRuns: FEWER },
    );
  });

  it('every variant set declares each attribute type once and keeps the IFLA numbering', () => {
    for (const [, direction, family] of variants) {
      const set = linkAttributesFor(direction, family);
      expect(set.keyOf.get(3)).toBe('ifname'); // IFLA_IFNAME
      expect(set.keyOf.get(18)).toBe('linkinfo'); // IFLA_LINKINFO
      expect(set.keyOf.size).toBe(Object.keys(set.specs).length);
    }
  });
});
