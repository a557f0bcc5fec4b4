/**
 * Link attribute sets and structs under generated values: every one round-trips (unknown
 * attributes included), value → bytes → value → the same bytes. Whole messages are in
 * link-messages.property.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldCodec } from '../../../src/netlink/field.js';
import { Writer } from '../../../src/netlink/writer.js';
import { afSpecReply, afSpecRequest, bridgeAfSet, iflaCacheinfo, bridgeVlanInfo } from '../../../src/netlink/route/af-spec.js';
import { ipv4DevconfArray, ipv4DevconfRequest, ipv6DevconfArray } from '../../../src/netlink/route/af-spec-devconf.js';
import { propListAttributes, protoDownReasonAttributes, rtnlLinkIfmap, xdpAttributes } from '../../../src/netlink/route/link-attributes.js';
import { ifinfomsg, readIfInfoMsg } from '../../../src/netlink/route/link-header.js';
import { bridgeData } from '../../../src/netlink/route/link-info/bridge.js';
import { bridgePortData } from '../../../src/netlink/route/link-info/bridge-port.js';
import { iflaBridgeId } from '../../../src/netlink/route/link-info/common.js';
import { macvlanData } from '../../../src/netlink/route/link-info/macvlan.js';
import { tunData } from '../../../src/netlink/route/link-info/tun.js';
import { vxlanData, vxlanPortRange } from '../../../src/netlink/route/link-info/vxlan.js';
import { rtnlLinkStats, rtnlLinkStats64 } from '../../../src/netlink/route/link-stats.js';
import { RUNS, arbitraryOf } from '../../helpers/arbitrary.js';
import { codecArbitrary } from './link-arbitrary.js';

const encode = <T>(codec: FieldCodec<T>, value: T): Uint8Array => {
  const w = new Writer();
  codec.encode(w, value, '');
  return w.finish().slice();
};

const FEWER = Math.max(50, Math.floor(RUNS / 4));

/** Sets with dozens of attributes or nested sets run fewer (still hundreds of) cases. */
const sets: Array<[string, FieldCodec<any>, boolean?]> = [
  ['bridge (IFLA_BR_*)', bridgeData, true],
  ['bridge port (IFLA_BRPORT_*)', bridgePortData, true],
  ['macvlan', macvlanData],
  ['vxlan', vxlanData, true],
  ['tun', tunData],
  ['xdp', xdpAttributes],
  ['prop list', propListAttributes],
  ['proto down reason', protoDownReasonAttributes],
  ['af spec (reply)', afSpecReply, true],
  ['af spec (request)', afSpecRequest, true],
  ['af spec of AF_BRIDGE messages', bridgeAfSet],
  ['ipv4 devconf (reply array)', ipv4DevconfArray],
  ['ipv4 devconf (request nest)', ipv4DevconfRequest, true],
  ['ipv6 devconf', ipv6DevconfArray, true],
];

const structs: Array<[string, FieldCodec<any>]> = [
  ['rtnl_link_stats64', rtnlLinkStats64],
  ['rtnl_link_stats', rtnlLinkStats],
  ['rtnl_link_ifmap', rtnlLinkIfmap],
  ['ifla_cacheinfo', iflaCacheinfo],
  ['bridge_vlan_info', bridgeVlanInfo],
  ['ifla_bridge_id', iflaBridgeId],
  ['ifla_vxlan_port_range', vxlanPortRange],
  ['ifinfomsg', ifinfomsg],
];

describe('link attribute sets round-trip (generated values, unknown attributes included)', () => {
  for (const [name, codec, heavy] of sets) {
    it(name, () => {
      fc.assert(
        fc.property(codecArbitrary(codec, name.includes('request') ? 'request' : 'reply', 0), (value) => {
          const bytes = encode(codec, value);
          const back = codec.decode(bytes, 0, '');
          expect(back).toEqual(value);
          expect(encode(codec, back)).toEqual(bytes);
        }),
        { numRuns: heavy ? FEWER : RUNS },
      );
    });
  }
});

describe('link structs round-trip, longer and shorter ones included where they grow', () => {
  for (const [name, codec] of structs) {
    it(name, () => {
      fc.assert(
        fc.property(arbitraryOf(codec), (value) => {
          expect(codec.decode(encode(codec, value), 0, '')).toEqual(value);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('rtnl_link_stats64 from an older kernel (cut at a field boundary) keeps the fields it has', () => {
    fc.assert(
      fc.property(arbitraryOf(rtnlLinkStats64), fc.integer({ min: 0, max: 25 }), (value, fields) => {
        const { tail: _tail, ...plain } = value as Record<string, unknown>;
        const bytes = encode(rtnlLinkStats64, plain as never).subarray(0, fields * 8);
        const back = rtnlLinkStats64.decode(bytes, 0, '') as Record<string, bigint>;
        expect(Object.keys(back).length).toBe(fields);
        for (const key of Object.keys(back)) expect(back[key]).toBe((plain as Record<string, bigint>)[key]);
      }),
      { numRuns: RUNS },
    );
  });

  it('the fast ifinfomsg reader agrees with the struct codec', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: ifinfomsg.size, maxLength: ifinfomsg.size + 8 }), (bytes) => {
        expect(readIfInfoMsg(bytes, 0)).toEqual(ifinfomsg.decodeAt(bytes, 0, ''));
      }),
      { numRuns: RUNS },
    );
  });
});

