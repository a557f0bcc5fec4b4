/**
 * The neighbour scanner (neighbour-scan.ts) holds to the generic way — decode the message,
 * then toNeighbour — with the properties of scanner-properties.ts, on generated entries
 * (mostly the attributes it reads, sometimes any) and on bodies of any attribute lengths and
 * repeats.
 */
import fc from 'fast-check';
import { describe } from 'vitest';
import { formatIp, formatLinkAddress } from '../../../src/netlink/addresses.js';
import { ndaCacheinfo, ndmsg, neighbourAttributes, neighbourMessage, type NeighbourMessageValue } from '../../../src/netlink/route/neighbour.js';
import { kept, scanNeighbour, type NeighbourSelection } from '../../../src/route/neighbour-scan.js';
import { toNeighbour } from '../../../src/route/neighbours.js';
import { arbitraryOf } from '../../helpers/arbitrary.js';
import { rawBodies, scannerProperties } from './scanner-properties.js';

const AF_INET = 2;
const AF_INET6 = 10;
/** Not an IP family: the scanner must leave it to the generic way. */
const OTHER_FAMILY = 7;
const NTF_PROXY = 8;
/** ndm_flags in struct ndmsg. */
const FLAGS_AT = 10;

const address = (family: number) => fc.uint8Array({ minLength: family === AF_INET6 ? 16 : 4, maxLength: family === AF_INET6 ? 16 : 4 }).map(formatIp);

/** Mostly the attributes the scanner reads, of the header's family; sometimes any other. */
const entries: fc.Arbitrary<NeighbourMessageValue> = fc
  .tuple(arbitraryOf(ndmsg), fc.constantFrom(AF_INET, AF_INET6, AF_INET, OTHER_FAMILY), fc.boolean())
  .chain(([header, family, proxy]) =>
    fc.record({
      header: fc.constant({ ...(header as NeighbourMessageValue['header']), family, flags: proxy ? header.flags | NTF_PROXY : header.flags & ~NTF_PROXY }),
      attributes: fc.oneof(
        {
          weight: 4,
          arbitrary: fc.record(
            {
              dst: address(family),
              lladdr: fc.uint8Array({ maxLength: 8 }).map((b) => formatLinkAddress(b)),
              cacheinfo: arbitraryOf(ndaCacheinfo),
              probes: fc.integer({ min: 0, max: 0xffffffff }),
              protocol: fc.integer({ min: 0, max: 255 }),
            },
            { requiredKeys: [] },
          ),
        },
        { weight: 1, arbitrary: arbitraryOf(neighbourAttributes) },
      ),
    }),
  ) as fc.Arbitrary<NeighbourMessageValue>;

/** What a listing keeps, written out here: the device, the family, proxy entries or not. */
const expectedKept = (s: NeighbourSelection, m: NeighbourMessageValue): boolean =>
  (s.ifindex === undefined || m.header.ifindex === s.ifindex) &&
  (s.family === 0 || m.header.family === s.family) &&
  s.proxy === ((m.header.flags & NTF_PROXY) !== 0);

describe('neighbour scanner (property)', () => {
  scannerProperties<NeighbourMessageValue, NeighbourSelection>({
    codec: neighbourMessage,
    scan: scanNeighbour,
    convert: toNeighbour,
    selects: (s, m) => kept(s, m.header.family, m.header.ifindex, m.header.flags),
    expectedKept,
    messages: entries,
    selections: fc.record({
      ifindex: fc.option(fc.integer({ min: -2, max: 3 }), { nil: undefined }),
      family: fc.constantFrom(0, AF_INET, AF_INET6),
      proxy: fc.boolean(),
    }),
    keepAll: (body) => ({ ifindex: undefined, family: 0, proxy: (body[FLAGS_AT]! & NTF_PROXY) !== 0 }),
    // The types it reads (dst, lladdr, cacheinfo, probes, protocol) and one it does not (NDA_VLAN, 5).
    rawBodies: rawBodies([AF_INET, AF_INET6], ndmsg.size, [1, 2, 3, 4, 12, 5], [0, 1, 2, 3, 4, 5, 6, 8, 16, 17]),
  });
});
