/**
 * Our link requests against iproute2's, byte for byte: each builder, given the same names,
 * indices and fds ip used, must produce exactly the body ip sent in the captured fixture.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatagram } from '../../../src/netlink/message.js';
import { RtmType } from '../../../src/netlink/route/constants.js';
import { NlmFlags } from '../../../src/netlink/constants.js';
import {
  altnameRequest, createLinkRequest, createVethRequest, deleteGroupRequest, deleteLinkRequest, dumpLinksRequest, getLinkRequest, setBridgePortRequest, setLinkRequest, toOutgoing,
  type LinkRequest,
} from '../../../src/route/link-requests.js';
import { bridgeData, bridgePortData, macvlanData, vxlanData } from '../../../src/route/link-options.js';
import { decodeLinkMessage } from '../../../src/netlink/route/link-messages.js';
import { fromHex, rows } from '../../helpers/hex.js';

interface Sent {
  type: number;
  flags: number;
  payload: Uint8Array;
}

/** The requests ip sent in a fixture (its first, a probe of RTM_NEWLINK support, included). */
function ipRequests(name: string): Sent[] {
  const fixture = JSON.parse(readFileSync(join(process.cwd(), 'fixtures', 'route', `${name}.json`), 'utf8')) as { datagrams: Array<{ direction: string; hex: string }> };
  return fixture.datagrams.filter((d) => d.direction === 'request').flatMap((d) => parseDatagram(fromHex(d.hex)));
}

function last(name: string, type: number): Sent {
  return ipRequests(name).filter((m) => m.type === type).at(-1)!;
}

/** Our request must be ip's: same type, same flags on top of REQUEST|ACK, same body bytes. */
function expectSameAsIp(ours: LinkRequest, fixture: string): void {
  const ip = last(fixture, ours.type);
  const out = toOutgoing(ours);
  expect(out.type).toBe(ip.type);
  expect((out.flags ?? 0) | NlmFlags.NLM_F_REQUEST | NlmFlags.NLM_F_ACK).toBe(ip.flags);
  expect(rows(out.payload)).toBe(rows(ip.payload));
}

describe('link requests are the ones iproute2 sends', () => {
  it('veth with the peer in another namespace (same fd number as ip had)', () => {
    const ip = decodeLinkMessage(last('link-add-veth-peer-netns', RtmType.RTM_NEWLINK).payload, NlmFlags.NLM_F_REQUEST);
    const fd = (ip.attributes.linkinfo?.data as { peer: { attributes: { netNsFd: number } } }).peer.attributes.netNsFd;
    expectSameAsIp(createVethRequest('veth-red', {}, 'veth-red-br', { netnsFd: fd }), 'link-add-veth-peer-netns');
  });

  it('bridge with STP, forward delay, ageing time and priority', () => {
    const data = bridgeData({ stp: true, forwardDelay: 400, ageingTime: 12000, priority: 4096 });
    expectSameAsIp(createLinkRequest('v-net-0', 'bridge', data, {}), 'link-add-bridge-options');
  });

  it('ifb', () => {
    expectSameAsIp(createLinkRequest('ifb0', 'ifb', undefined, {}), 'link-add-ifb');
  });

  it('macvlan and vxlan carry the same attributes as ip (order aside)', () => {
    const mv = decodeLinkMessage(toOutgoing(createLinkRequest('mv0', 'macvlan', macvlanData({ mode: 'bridge' }), { link: 3 })).payload, NlmFlags.NLM_F_REQUEST);
    expect(mv).toEqual(decodeLinkMessage(last('link-add-macvlan', RtmType.RTM_NEWLINK).payload, NlmFlags.NLM_F_REQUEST));
    const vx = decodeLinkMessage(
      toOutgoing(createLinkRequest('vx0', 'vxlan', vxlanData({ vni: 42, dstport: 4789, local: '10.0.0.1', remote: '10.0.0.2', ttl: 16, learning: true }, undefined), {})).payload,
      NlmFlags.NLM_F_REQUEST,
    );
    expect(vx).toEqual(decodeLinkMessage(last('link-add-vxlan', RtmType.RTM_NEWLINK).payload, NlmFlags.NLM_F_REQUEST));
  });

  it('set up / mtu / address / alias / name / txqueuelen and group / master / nomaster / addrgenmode', () => {
    const index = { index: 3 };
    expectSameAsIp(setLinkRequest(index, { up: true }), 'link-set-up');
    expectSameAsIp(setLinkRequest(index, { mtu: 1400 }), 'link-set-mtu');
    expectSameAsIp(setLinkRequest(index, { address: '02:00:00:00:00:01' }), 'link-set-address');
    expectSameAsIp(setLinkRequest(index, { alias: 'to red' }), 'link-set-alias');
    expectSameAsIp(setLinkRequest(index, {}, 'veth-r2'), 'link-set-name');
    expectSameAsIp(setLinkRequest(index, { txqueuelen: 500, group: 42 }), 'link-set-txqueuelen-group');
    expectSameAsIp(setLinkRequest(index, { master: 4 }), 'link-set-master');
    expectSameAsIp(setLinkRequest(index, { master: 0 }), 'link-set-nomaster');
    expectSameAsIp(setLinkRequest(index, { ipv6: { addrGenMode: 'none' } }), 'link-set-addrgenmode');
  });

  it('move to a namespace (same fd number as ip had)', () => {
    const ip = decodeLinkMessage(last('link-set-netns', RtmType.RTM_NEWLINK).payload, NlmFlags.NLM_F_REQUEST);
    expectSameAsIp(setLinkRequest({ index: ip.header.index }, { netnsFd: ip.attributes.netNsFd! }), 'link-set-netns');
  });

  it('bridge port options, the `ip link set … type bridge_slave` way', () => {
    expectSameAsIp(setBridgePortRequest({ index: 3 }, bridgePortData({ hairpin: true, learning: false, flood: false, isolated: true })), 'link-set-bridge-slave');
  });

  it('delete by index, delete a group, get by name', () => {
    expectSameAsIp(deleteLinkRequest({ index: 3 }), 'link-del');
    expectSameAsIp(deleteGroupRequest(42), 'link-del-group');
    const ipGet = ipRequests('link-get-dev').find((m) => m.type === RtmType.RTM_GETLINK)!;
    expect(rows(toOutgoing(getLinkRequest({ name: 'veth0' })).payload)).toBe(rows(ipGet.payload));
  });

  it('alternative names: add (NLM_F_CREATE|EXCL|APPEND) and delete', () => {
    expectSameAsIp(altnameRequest({ index: 3 }, ['veth0-alternative-name'], true), 'link-altname-add');
    expectSameAsIp(altnameRequest({ index: 3 }, ['veth0-alternative-name'], false), 'link-altname-del');
  });

  it('dump requests filter in the kernel by master and by kind', () => {
    const body = decodeLinkMessage(toOutgoing(dumpLinksRequest({ master: 7, kind: 'veth' })).payload, NlmFlags.NLM_F_REQUEST);
    expect(body.header).toEqual({ family: 0, type: 0, index: 0, flags: 0, change: 0 });
    expect(body.attributes).toEqual({ extMask: ['RTEXT_FILTER_VF', 'RTEXT_FILTER_SKIP_STATS'], master: 7, linkinfo: { kind: 'veth' } });
  });

  it('records attribute spans, so kernel errors can name the attribute', () => {
    const out = toOutgoing(createVethRequest('a', {}, 'b', {}));
    expect(out.spans?.map((s) => s.path)).toContain('linkinfo.data.peer.ifname');
    expect(out.typeName).toBe('RTM_NEWLINK');
  });
});
