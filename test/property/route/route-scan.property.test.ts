/**
 * The route scanner (route-scan.ts) holds to the generic way — decode the message, then
 * toRoute — with the properties of scanner-properties.ts, on generated routes (mostly the
 * attributes it reads, sometimes any) and on bodies of any attribute lengths and repeats.
 */
import fc from 'fast-check';
import { describe } from 'vitest';
import { formatIp } from '../../../src/netlink/addresses.js';
import { routeMessage, rtmsg, type RouteMessageValue } from '../../../src/netlink/route/route.js';
import { scanRoute, selected, type RouteSelection } from '../../../src/route/route-scan.js';
import { toRoute } from '../../../src/route/route-view.js';
import { arbitraryOf } from '../../helpers/arbitrary.js';
import { routeAttributesArbitrary } from './route-arbitraries.js';
import { rawBodies, scannerProperties } from './scanner-properties.js';

const AF_INET = 2;
const AF_INET6 = 10;
/** Not an IP family: the scanner must leave it to the generic way. */
const OTHER_FAMILY = 7;

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const address = (family: number) => fc.uint8Array({ minLength: family === AF_INET6 ? 16 : 4, maxLength: family === AF_INET6 ? 16 : 4 }).map(formatIp);

/** Mostly the attributes the scanner reads, of the header's family; sometimes any other. */
const routes: fc.Arbitrary<RouteMessageValue> = fc
  .tuple(arbitraryOf(rtmsg), fc.constantFrom(AF_INET, AF_INET6, AF_INET, OTHER_FAMILY))
  .chain(([header, family]) =>
    fc.record({
      header: fc.constant({ ...(header as RouteMessageValue['header']), family }),
      attributes: fc.oneof(
        {
          weight: 4,
          arbitrary: fc.record(
            { table: u32, dst: address(family), priority: u32, gateway: address(family), oif: u32, prefsrc: address(family), iif: u32, src: address(family), pref: fc.integer({ min: 0, max: 255 }) },
            { requiredKeys: [] },
          ),
        },
        { weight: 1, arbitrary: routeAttributesArbitrary },
      ),
    }),
  ) as fc.Arbitrary<RouteMessageValue>;

/** What a listing keeps, written out here: the kernel's own filter, next hops' devices included. */
function expectedKept(s: RouteSelection, m: RouteMessageValue): boolean {
  if (s.family !== 0 && m.header.family !== s.family) return false;
  if (s.table !== undefined && (m.attributes.table ?? m.header.table) !== s.table) return false;
  if (s.protocol !== 0 && m.header.protocol !== s.protocol) return false;
  if (s.type !== 0 && m.header.type !== s.type) return false;
  return s.oif === undefined || m.attributes.oif === s.oif || (m.attributes.multipath ?? []).some((nh) => nh.ifindex === s.oif);
}

describe('route scanner (property)', () => {
  scannerProperties<RouteMessageValue, RouteSelection>({
    codec: routeMessage,
    scan: scanRoute,
    convert: toRoute,
    selects: selected,
    expectedKept,
    messages: routes,
    selections: fc.record({
      family: fc.constantFrom(0, AF_INET, AF_INET6),
      table: fc.option(fc.constantFrom(254, 255, 0), { nil: undefined }),
      protocol: fc.constantFrom(0, 2, 3, 4),
      type: fc.constantFrom(0, 1, 2),
      oif: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    }),
    keepAll: () => ({ family: 0, table: undefined, protocol: 0, type: 0, oif: undefined }),
    // The types it reads (dst … pref) and one it does not (RTA_METRICS, 8).
    rawBodies: rawBodies([AF_INET, AF_INET6], rtmsg.size, [1, 2, 3, 4, 5, 6, 7, 12, 15, 20, 8], [0, 1, 2, 3, 4, 5, 8, 16, 32, 33]),
  });
});
