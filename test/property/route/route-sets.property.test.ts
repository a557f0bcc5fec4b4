/**
 * Every attribute set and struct of the address, route, neighbour, nsid and netconf families
 * round-trips with generated values (unknown attributes, enum values and flag bits included).
 * Whole messages and decoders on bad bytes: route-messages.property.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { FieldCodec } from '../../../src/netlink/field.js';
import { Writer } from '../../../src/netlink/writer.js';
import { addressAttributes, ifaCacheinfo, ifaddrmsg } from '../../../src/netlink/route/address.js';
import { ndaCacheinfo, ndmsg, neighbourAttributes } from '../../../src/netlink/route/neighbour.js';
import { netconfAttributes, netconfmsg } from '../../../src/netlink/route/netconf.js';
import { nsidAttributes, rtgenmsg } from '../../../src/netlink/route/nsid.js';
import { routeMetricsAttributes } from '../../../src/netlink/route/route-metrics.js';
import { routeNexthops, rtnexthop } from '../../../src/netlink/route/route-nexthops.js';
import { routeVia } from '../../../src/netlink/route/route-via.js';
import { routeAttributes, routeExpires, rtaCacheinfo, rtaMfcStats, rtmsg } from '../../../src/netlink/route/route.js';
import { RUNS, arbitraryOf } from '../../helpers/arbitrary.js';
import { expiresArbitrary, nexthopArbitrary, routeAttributesArbitrary, viaArbitrary } from './route-arbitraries.js';

function encode<T>(codec: FieldCodec<T>, value: T): Uint8Array {
  const w = new Writer();
  codec.encode(w, value, '');
  return w.finish().slice();
}

/** Thousands of generated nested messages take a while on a loaded 2-core machine. */
vi.setConfig({ testTimeout: 180_000 });

function roundTrips<T>(codec: FieldCodec<T>, arbitrary: fc.Arbitrary<T>): void {
  fc.assert(
    fc.property(arbitrary, (value) => {
      const bytes = encode(codec, value);
      const decoded = codec.decode(bytes, 0, '');
      expect(decoded).toEqual(value);
      expect(encode(codec, decoded)).toEqual(bytes);
    }),
    { numRuns: RUNS },
  );
}

const sets: Array<[string, FieldCodec<any>, fc.Arbitrary<any>]> = [
  ['IFA_* (address)', addressAttributes, arbitraryOf(addressAttributes)],
  ['RTA_* (route)', routeAttributes, routeAttributesArbitrary],
  ['RTAX_* (route metrics)', routeMetricsAttributes, arbitraryOf(routeMetricsAttributes)],
  ['NDA_* (neighbour)', neighbourAttributes, arbitraryOf(neighbourAttributes)],
  ['NETNSA_* (nsid)', nsidAttributes, arbitraryOf(nsidAttributes)],
  ['NETCONFA_* (netconf)', netconfAttributes, arbitraryOf(netconfAttributes)],
  ['rtnexthop list (RTA_MULTIPATH)', routeNexthops, fc.array(nexthopArbitrary, { maxLength: 5 })],
  ['rtvia (RTA_VIA)', routeVia, viaArbitrary],
  ['RTA_EXPIRES', routeExpires, expiresArbitrary],
];

const structs: Array<[string, FieldCodec<any>]> = [
  ['ifaddrmsg', ifaddrmsg],
  ['ifa_cacheinfo', ifaCacheinfo],
  ['rtmsg', rtmsg],
  ['rta_cacheinfo', rtaCacheinfo],
  ['rta_mfc_stats', rtaMfcStats],
  ['rtnexthop', rtnexthop],
  ['ndmsg', ndmsg],
  ['nda_cacheinfo', ndaCacheinfo],
  ['rtgenmsg', rtgenmsg],
  ['netconfmsg', netconfmsg],
];

describe('rtnetlink attribute sets round-trip (unknown attributes included)', () => {
  for (const [name, codec, arbitrary] of sets) it(name, () => roundTrips(codec, arbitrary));
});

describe('rtnetlink structs round-trip', () => {
  for (const [name, codec] of structs) it(name, () => roundTrips(codec, arbitraryOf(codec)));
});

