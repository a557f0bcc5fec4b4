/**
 * The link fixtures (fixtures/route/link-*.json, captured from iproute2 on a real kernel),
 * checked both ways with the route protocol registered, plus facts checked by hand against the
 * kernel headers: what each scenario must contain, decoded to the right attribute.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromJsonValue, toJsonValue, type JsonValue } from '../../../src/netlink/json.js';
import { decodeDatagram, encodeDecodedDatagram, registerProtocol, type DecodedMessage } from '../../../src/netlink/registry.js';
import { routeProtocol } from '../../../src/netlink/route/route-protocol.js';
import { RtmType } from '../../../src/netlink/route/constants.js';
import { Iff } from '../../../src/netlink/route/link-constants.js';
import { decodeLink, encodeLink, linkFromMessage } from '../../../src/netlink/route/link.js';
import type { LinkMessage } from '../../../src/netlink/route/link-messages.js';
import { parseDatagram } from '../../../src/netlink/message.js';
import { fromHex, rows } from '../../helpers/hex.js';

registerProtocol(routeProtocol);

const dir = join(process.cwd(), 'fixtures', 'route');
const files = readdirSync(dir).filter((f) => f.startsWith('link-') && f.endsWith('.json')).sort();

interface Fixture {
  name: string;
  datagrams: Array<{ direction: 'request' | 'reply'; hex: string; expected: JsonValue }>;
}

function load(name: string): Fixture {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Fixture;
}

/** Every link message of a fixture, decoded, with the direction of its datagram. */
function linkMessages(name: string, type?: number): Array<{ direction: string; flags: number; body: LinkMessage }> {
  const out: Array<{ direction: string; flags: number; body: LinkMessage }> = [];
  for (const d of load(name).datagrams) {
    for (const m of decodeDatagram('route', fromHex(d.hex))) {
      if (m.type >= RtmType.RTM_NEWLINK && m.type <= RtmType.RTM_SETLINK && (type === undefined || m.type === type)) {
        out.push({ direction: d.direction, flags: m.flags, body: m.body as LinkMessage });
      }
    }
  }
  return out;
}
const lastRequest = (name: string, type: number): LinkMessage => linkMessages(name, type).filter((m) => m.direction === 'request').at(-1)!.body;

describe('link fixtures, both ways', () => {
  it('there are link fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });
  for (const file of files) {
    const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Fixture;
    it(`${file}: decodes to expected, re-encodes byte-exact, expected round-trips`, () => {
      for (const d of fixture.datagrams) {
        const bytes = fromHex(d.hex);
        const decoded = decodeDatagram('route', bytes);
        expect(toJsonValue(decoded)).toEqual(d.expected);
        expect(rows(encodeDecodedDatagram('route', decoded))).toBe(rows(bytes));
        const stored = fromJsonValue(d.expected) as DecodedMessage[];
        expect(toJsonValue(decodeDatagram('route', encodeDecodedDatagram('route', stored)))).toEqual(d.expected);
      }
    });
  }
});

describe('link fixtures, facts checked by hand', () => {
  it('veth: the peer is a whole ifinfomsg with its name and the target namespace fd', () => {
    const req = lastRequest('link-add-veth-peer-netns', RtmType.RTM_NEWLINK);
    expect(req.attributes.ifname).toBe('veth-red');
    expect(req.attributes.linkinfo?.kind).toBe('veth');
    const peer = (req.attributes.linkinfo?.data as { peer: LinkMessage }).peer;
    expect(peer.header).toEqual({ family: 0, type: 0, index: 0, flags: 0, change: 0 });
    expect(peer.attributes.ifname).toBe('veth-red-br');
    expect(peer.attributes.netNsFd).toBeGreaterThan(2);
  });

  it('bridge: the options land in IFLA_BR_* (times in 1/100 s)', () => {
    const data = lastRequest('link-add-bridge-options', RtmType.RTM_NEWLINK).attributes.linkinfo?.data;
    expect(data).toEqual({ stpState: 1, forwardDelay: 400, ageingTime: 12000, priority: 4096 });
  });

  it('macvlan and vxlan: lower link, mode, VNI, port in network byte order, endpoints', () => {
    const mv = lastRequest('link-add-macvlan', RtmType.RTM_NEWLINK);
    expect(mv.attributes.link).toBeGreaterThan(0);
    expect(mv.attributes.linkinfo).toMatchObject({ kind: 'macvlan', data: { mode: 'bridge' } });
    const vx = lastRequest('link-add-vxlan', RtmType.RTM_NEWLINK).attributes.linkinfo?.data;
    expect(vx).toMatchObject({ id: 42, port: 4789, local: '10.0.0.1', group: '10.0.0.2', ttl: 16 });
  });

  it('set: up is a flag change, the others are attributes on the index', () => {
    const up = lastRequest('link-set-up', RtmType.RTM_NEWLINK);
    expect(up.header.flags & Iff.IFF_UP).toBe(Iff.IFF_UP);
    expect(up.header.change).toBe(Iff.IFF_UP);
    expect(up.header.index).toBeGreaterThan(0);
    expect(lastRequest('link-set-mtu', RtmType.RTM_NEWLINK).attributes.mtu).toBe(1400);
    expect(lastRequest('link-set-address', RtmType.RTM_NEWLINK).attributes.address).toBe('02:00:00:00:00:01');
    expect(lastRequest('link-set-alias', RtmType.RTM_NEWLINK).attributes.ifalias).toBe('to red');
    expect(lastRequest('link-set-name', RtmType.RTM_NEWLINK).attributes.ifname).toBe('veth-r2');
    expect(lastRequest('link-set-txqueuelen-group', RtmType.RTM_NEWLINK).attributes).toMatchObject({ txqlen: 500, group: 42 });
    expect(lastRequest('link-set-master', RtmType.RTM_NEWLINK).attributes.master).toBeGreaterThan(0);
    expect(lastRequest('link-set-nomaster', RtmType.RTM_NEWLINK).attributes.master).toBe(0);
    expect(lastRequest('link-set-netns', RtmType.RTM_NEWLINK).attributes.netNsFd).toBeGreaterThan(2);
    expect(lastRequest('link-set-addrgenmode', RtmType.RTM_NEWLINK).attributes.afSpec).toEqual({ inet6: { addrGenMode: 'none' } });
  });

  it('bridge port options: ip sends kind "bridge_slave" with slave data; bridge sends AF_BRIDGE protinfo', () => {
    const ip = lastRequest('link-set-bridge-slave', RtmType.RTM_NEWLINK).attributes.linkinfo;
    expect(ip).toEqual({ kind: 'bridge_slave', slaveData: { mode: 1, learning: 0, unicastFlood: 0, isolated: 1 } });
    const br = lastRequest('link-bridge-link-set', RtmType.RTM_SETLINK);
    expect(br.header.family).toBe(7); // AF_BRIDGE
    expect(br.attributes.protinfo).toEqual({ mode: 1, learning: 0 });
  });

  it('delete: by index, and a whole group with ifindex 0', () => {
    expect(lastRequest('link-del', RtmType.RTM_DELLINK).header.index).toBeGreaterThan(0);
    const group = lastRequest('link-del-group', RtmType.RTM_DELLINK);
    expect(group.header.index).toBe(0);
    expect(group.attributes).toEqual({ group: 42 });
  });

  it('dump: kinds, port data, peer namespace id, altnames, statistics; both Link producers agree', () => {
    const replies = load('link-dump-details').datagrams.filter((d) => d.direction === 'reply').flatMap((d) => parseDatagram(fromHex(d.hex)));
    const links = replies.filter((m) => m.type === RtmType.RTM_NEWLINK).map((m) => decodeLink(m));
    const byName = new Map(links.map((l) => [l.name, l]));
    expect([...byName.keys()]).toEqual(['lo', 'veth-red', 'v-net-0', 'mv0', 'vx0', 'tap0']);
    const veth = byName.get('veth-red')!;
    expect(veth).toMatchObject({ kind: 'veth', slaveKind: 'bridge', linkNetnsId: 0, alias: 'uplink', up: true, master: byName.get('v-net-0')!.index });
    expect(veth.altnames).toEqual(['veth-red-long-altname']);
    expect(veth.bridgePort).toMatchObject({ state: 'disabled', learning: 1, unicastFlood: 1, mode: 0 });
    expect(byName.get('v-net-0')!.bridge).toMatchObject({ stpState: 1, forwardDelay: 1500, helloTime: 200 });
    expect(byName.get('mv0')!.macvlan).toMatchObject({ mode: 'bridge' });
    expect(byName.get('vx0')!.vxlan).toMatchObject({ id: 42, port: 4789, local: '10.0.0.1' });
    expect(byName.get('tap0')!.tun).toMatchObject({ type: 'tap', persist: 1 });
    expect(byName.get('lo')).toMatchObject({ type: 'loopback', operstate: 'UNKNOWN', flags: ['UP', 'LOOPBACK', 'RUNNING', 'LOWER_UP'] });
    expect(typeof veth.stats?.rxBytes).toBe('bigint');
    expect(veth.ipv6?.stats?.length).toBeGreaterThan(1);
    expect(veth.ipv4).toMatchObject({ forwarding: 0, accept_redirects: 1 });
    for (const [i, m] of replies.filter((r) => r.type === RtmType.RTM_NEWLINK).entries()) {
      const generic = linkFromMessage(links[i]!.message);
      const { message: _m, ...genericFields } = generic;
      expect(JSON.parse(JSON.stringify(links[i], bigintText))).toEqual(JSON.parse(JSON.stringify(genericFields, bigintText)));
      expect(rows(encodeLink(links[i]!))).toBe(rows(m.payload));
    }
  });
});

function bigintText(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}
