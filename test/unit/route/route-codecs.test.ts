/** The rtnetlink codecs of this family on their own: layouts, kernel quirks, unknowns, errors. */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/netlink/errors.js';
import { bodyWriter } from '../../../src/netlink/message.js';
import { Writer } from '../../../src/netlink/writer.js';
import { addressMessage } from '../../../src/netlink/route/address.js';
import { neighbourAttributes, neighbourMessage } from '../../../src/netlink/route/neighbour.js';
import { netconfMessage } from '../../../src/netlink/route/netconf.js';
import { nsidMessage } from '../../../src/netlink/route/nsid.js';
import { routeAttributes, routeExpires, routeMessage, routeMessageCodecs, type RouteMessageValue } from '../../../src/netlink/route/route.js';
import { routeNexthops } from '../../../src/netlink/route/route-nexthops.js';
import { routeVia } from '../../../src/netlink/route/route-via.js';
import { routeProtocol } from '../../../src/netlink/route/route-protocol.js';
import { addressMessageCodecs } from '../../../src/netlink/route/address.js';
import { linkMessageCodecs } from '../../../src/netlink/route/link-messages.js';
import { neighbourMessageCodecs } from '../../../src/netlink/route/neighbour.js';
import { netconfMessageCodecs } from '../../../src/netlink/route/netconf.js';
import { nsidMessageCodecs } from '../../../src/netlink/route/nsid.js';
import { RtmType } from '../../../src/netlink/route/constants.js';
import { fromHex, rows } from '../../helpers/hex.js';

function encodeWith<T>(codec: { encode(w: Writer, v: T, p: string): void }, value: T): Uint8Array {
  const w = new Writer();
  codec.encode(w, value, 'x');
  return w.finish().slice();
}

describe('route message layout', () => {
  it('rtmsg is 12 bytes and attributes follow directly; RTA_METRICS has no NLA_F_NESTED', () => {
    const w = bodyWriter();
    const value: RouteMessageValue = {
      header: { family: 2, dstLen: 8, srcLen: 0, tos: 0, table: 254, protocol: 3, scope: 0, type: 1, flags: 0 },
      attributes: { dst: '10.0.0.0', metrics: { mtu: 1400 } },
    };
    routeMessage.encode(w, value);
    expect(rows(w.finish())).toBe(rows(fromHex(
      '02080000 fe030001 00000000' + // rtmsg
      '0800 0100 0a000000' + // RTA_DST
      '0c00 0800 0800 0200 78050000', // RTA_METRICS (type 8, no 0x8000) { RTAX_MTU 1400 }
    )));
    expect(w.spans.map((s) => s.path)).toEqual(['dst', 'metrics.mtu', 'metrics']);
  });

  it('unknown attributes survive decode → encode in wire order', () => {
    const wire = fromHex('02080000 fe030001 00000000' + '0800 6300 deadbeef' + '0800 0100 0a000000');
    const decoded = routeMessage.decode(wire, 16);
    expect(decoded.attributes.unknown).toEqual([{ type: 99, nested: false, netByteOrder: false, value: fromHex('deadbeef') }]);
    const w = bodyWriter();
    routeMessage.encode(w, decoded);
    expect(rows(w.finish())).toBe(rows(wire));
  });

  it('a body shorter than its header is a DecodeError naming the struct', () => {
    expect(() => routeMessage.decode(new Uint8Array(11), 16)).toThrow(DecodeError);
    expect(() => addressMessage.decode(new Uint8Array(7), 16)).toThrow(/ifaddrmsg/);
    expect(() => neighbourMessage.decode(new Uint8Array(3), 16)).toThrow(/ndmsg/);
    expect(() => nsidMessage.decode(new Uint8Array(0), 16)).toThrow(/rtgenmsg/);
    expect(() => netconfMessage.decode(new Uint8Array(2), 16)).toThrow(/netconfmsg/);
  });

  it('the one-byte rtgenmsg / netconfmsg headers are padded to 4 before attributes, as the kernel reads them', () => {
    const w = bodyWriter();
    nsidMessage.encode(w, { header: { family: 0 }, attributes: { nsid: 5 } });
    expect(rows(w.finish())).toBe(rows(fromHex('00000000 0800 0100 05000000')));
  });
});

describe('RTA_MULTIPATH (struct rtnexthop list)', () => {
  const two = fromHex(
    '1000 00 01 03000000 0800 0500 c0a80f02' + // len 16, flags 0, hops 1, ifindex 3, RTA_GATEWAY
    '0800 04 00 04000000', // len 8, RTNH_F_ONLINK, hops 0, ifindex 4, no attributes
  );

  it('decodes each next hop with its attributes and re-encodes the same bytes', () => {
    const hops = routeNexthops.decode(two, 0, 'multipath');
    expect(hops).toEqual([
      { flags: [], hops: 1, ifindex: 3, attributes: { gateway: '192.168.15.2' } },
      { flags: ['onlink'], hops: 0, ifindex: 4, attributes: {} },
    ]);
    expect(rows(encodeWith(routeNexthops, hops))).toBe(rows(two));
  });

  it('rtnh_len too small, too large, or a cut header: DecodeError at the next hop', () => {
    expect(() => routeNexthops.decode(fromHex('0400 0000 00000000'), 40, 'multipath')).toThrow(/multipath\[0\] @40: rtnh_len 4/);
    expect(() => routeNexthops.decode(fromHex('2000 0000 00000000'), 0, 'multipath')).toThrow(DecodeError);
    expect(() => routeNexthops.decode(fromHex('0800 0000 03000000 0800'), 0, 'multipath')).toThrow(/multipath\[1\]/);
  });

  it('validate refuses bad hops before encoding', () => {
    expect(routeNexthops.validate!([{ flags: [], hops: 256, ifindex: 1, attributes: {} }])).toMatch(/hops/);
    expect(routeNexthops.validate!([{ flags: [], hops: 0, ifindex: 1.5, attributes: {} }])).toMatch(/ifindex/);
  });
});

describe('RTA_VIA and RTA_EXPIRES', () => {
  it('an IPv6 gateway of an IPv4 route is text; other families keep their bytes', () => {
    const v6 = fromHex('0a00 fe800000000000000000000000000001');
    expect(routeVia.decode(v6, 0, 'via')).toEqual({ family: 10, address: 'fe80::1' });
    expect(rows(encodeWith(routeVia, { family: 10, address: 'fe80::1' }))).toBe(rows(v6));
    const odd = fromHex('1100 010203');
    expect(routeVia.decode(odd, 0, 'via')).toEqual({ family: 17, address: fromHex('010203') });
    expect(rows(encodeWith(routeVia, routeVia.decode(odd, 0, 'via')))).toBe(rows(odd));
    expect(() => routeVia.decode(fromHex('0a'), 0, 'via')).toThrow(DecodeError);
    expect(routeVia.validate!({ family: 17, address: '10.0.0.1' })).toMatch(/AF_INET/);
  });

  it('RTA_EXPIRES keeps its width: u32 seconds (IPv6 requests) or u64 (multicast dumps)', () => {
    expect(routeExpires.decode(fromHex('2c010000'), 0, 'expires')).toBe(300);
    expect(routeExpires.decode(fromHex('2c01000000000000'), 0, 'expires')).toBe(300n);
    expect(rows(encodeWith(routeExpires, 300n))).toBe(rows(fromHex('2c01000000000000')));
    expect(() => routeExpires.decode(fromHex('2c0100'), 0, 'expires')).toThrow(DecodeError);
    expect(routeAttributes.keyOf.get(23)).toBe('expires');
  });
});

describe('neighbour quirks', () => {
  it('a zero-length NDA_LLADDR (devices without link addresses) decodes to "" and encodes back to nothing', () => {
    const wire = fromHex('0400 0200');
    const value = neighbourAttributes.decode(wire, 0, '');
    expect(value.lladdr).toBe('');
    expect(rows(encodeWith(neighbourAttributes, value))).toBe(rows(wire));
  });
});

describe('routeProtocol', () => {
  it('has the codec of every family (links, addresses, routes, neighbours, nsids, netconf), named as the kernel names it', () => {
    expect(routeProtocol.name).toBe('route');
    expect(routeProtocol.protocol).toBe(0);
    const families = [linkMessageCodecs, addressMessageCodecs, routeMessageCodecs, neighbourMessageCodecs, nsidMessageCodecs, netconfMessageCodecs];
    const covered = new Set(families.flatMap((f) => [...f.keys()]));
    for (const [name, type] of Object.entries(RtmType)) {
      const codec = routeProtocol.messageCodec(type);
      if (covered.has(type)) expect(codec?.name).toBe(name);
      else expect(codec).toBeUndefined();
    }
    for (const type of [RtmType.RTM_NEWADDR, RtmType.RTM_GETROUTE, RtmType.RTM_DELNEIGH, RtmType.RTM_NEWNSID, RtmType.RTM_GETNETCONF, RtmType.RTM_NEWLINK]) {
      expect(covered.has(type)).toBe(true);
    }
  });
});
