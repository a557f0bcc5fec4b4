/**
 * The Links client against a scripted kernel: bad input never reaches the socket, kernel
 * refusals come back as NetlinkErrors naming the attribute, ENODEV on get is "no such link",
 * and dumps are filtered both in the request and on arrival.
 */
import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { NetlinkError, ValidationError } from '../../../src/netlink/errors.js';
import { FakeKernel } from '../../../src/netlink/testing/fake-kernel.js';
import { Writer } from '../../../src/netlink/writer.js';
import { RtmType } from '../../../src/netlink/route/constants.js';
import { decodeLinkMessage, encodeLinkMessage, type LinkMessage } from '../../../src/netlink/route/link-messages.js';
import { toOutgoing, createVethRequest } from '../../../src/route/link-requests.js';
import { Links } from '../../../src/route/links.js';

const ENODEV = 19;
const EINVAL = 22;

function body(message: LinkMessage): Uint8Array {
  const w = new Writer();
  encodeLinkMessage(w, message, 0);
  return w.finish().slice();
}

const link = (index: number, name: string, extra: LinkMessage['attributes'] = {}): Uint8Array =>
  body({ header: { family: 0, type: 1, index, flags: 0x1043, change: 0 }, attributes: { ifname: name, mtu: 1500, ...extra } });

function setup(respond?: ConstructorParameters<typeof FakeKernel>[0]) {
  const kernel = new FakeKernel(respond);
  const links = new Links(new Connection(kernel, { timeoutMs: 1000 }));
  return { kernel, links };
}

describe('bad input is refused before anything is sent', () => {
  const cases: Array<[string, (l: Links) => Promise<unknown>, string]> = [
    ['a 16-byte name', (l) => l.createIfb({ name: 'x'.repeat(16) }), 'name'],
    ['a name of 15 characters but 16 bytes of UTF-8', (l) => l.createIfb({ name: `é${'x'.repeat(14)}` }), 'name'],
    ['an empty name', (l) => l.createIfb({ name: '' }), 'name'],
    ['"."', (l) => l.createIfb({ name: '.' }), 'name'],
    ['".."', (l) => l.createIfb({ name: '..' }), 'name'],
    ['a slash', (l) => l.createIfb({ name: 'a/b' }), 'name'],
    ['a colon', (l) => l.createIfb({ name: 'eth0:1' }), 'name'],
    ['a space', (l) => l.createIfb({ name: 'a b' }), 'name'],
    ['a tab', (l) => l.createIfb({ name: 'a\tb' }), 'name'],
    ['a percent sign (kernel template)', (l) => l.createIfb({ name: 'eth%d' }), 'name'],
    ['NUL', (l) => l.createIfb({ name: 'a\0b' }), 'name'],
    ['a control byte', (l) => l.createIfb({ name: 'a\x7fb' }), 'name'],
    ['a bad peer name', (l) => l.createVeth({ name: 'a', peer: { name: 'b:c' } }), 'peer.name'],
    ['an MTU below 68', (l) => l.set('eth0', { mtu: 67 }), 'mtu'],
    ['a fractional MTU', (l) => l.set('eth0', { mtu: 1500.5 }), 'mtu'],
    ['a peer MTU of a string', (l) => l.createVeth({ name: 'a', peer: { name: 'b', mtu: '1500' as never } }), 'peer.mtu'],
    ['a malformed MAC', (l) => l.set('eth0', { address: '02:00:00:00:00:zz' }), 'address'],
    ['a multicast MAC for a veth', (l) => l.createVeth({ name: 'a', address: '01:00:5e:00:00:01', peer: { name: 'b' } }), 'address'],
    ['a 5-byte MAC for a bridge', (l) => l.createBridge({ name: 'br0', address: '02:00:00:00:01' }), 'address'],
    ['an unknown option', (l) => l.createBridge({ name: 'br0', stpp: true } as never), 'stpp'],
    ['an unknown change', (l) => l.set('eth0', { upp: true } as never), 'upp'],
    ['nothing to change', (l) => l.set('eth0', {}), 'changes'],
    ['a negative index', (l) => l.delete(-1), 'link'],
    ['group 0 for a bulk delete', (l) => l.deleteGroup(0), 'group'],
    ['a VNI above 2^24-1', (l) => l.createVxlan({ name: 'vx0', vni: 2 ** 24 }), 'vni'],
    ['a multicast remote', (l) => l.createVxlan({ name: 'vx0', vni: 1, remote: '239.1.1.1' }), 'remote'],
    ['a unicast group', (l) => l.createVxlan({ name: 'vx0', vni: 1, multicastGroup: '10.0.0.1' }), 'multicastGroup'],
    ['a local of the wrong family', (l) => l.createVxlan({ name: 'vx0', vni: 1, remote: '10.0.0.1', local: '::1' }), 'local'],
    ['port 0', (l) => l.createVxlan({ name: 'vx0', vni: 1, dstport: 0 }), 'dstport'],
    ['an unknown macvlan mode', (l) => l.createMacvlan({ name: 'mv0', link: 'eth0', mode: 'weird' as never }), 'mode'],
    ['no bridge port option', (l) => l.setBridgePort('eth0', {}), 'options'],
    ['a bridge port cost of 0', (l) => l.setBridgePort('eth0', { cost: 0 }), 'cost'],
    ['an unknown IPv4 setting', (l) => l.set('eth0', { ipv4: { forwardin: 1 } as never }), 'ipv4.forwardin'],
    ['an unknown addrgenmode', (l) => l.set('eth0', { ipv6: { addrGenMode: 'eui48' as never } }), 'ipv6.addrGenMode'],
    ['a namespace name with a slash', (l) => l.createVeth({ name: 'a', peer: { name: 'b', netns: 'x/y' } }), 'netns'],
    ['an alias of 256 bytes', (l) => l.set('eth0', { alias: 'a'.repeat(256) }), 'alias'],
  ];
  for (const [what, run, field] of cases) {
    it(what, async () => {
      const { kernel, links } = setup();
      const err = await run(links).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect(kernel.sent).toEqual([]);
    });
  }

  it('accepts names the kernel accepts: 15 bytes, UTF-8, dots and dashes', async () => {
    const { kernel, links } = setup();
    await links.createIfb({ name: 'x'.repeat(15) });
    await links.createIfb({ name: 'vé-ö.1' });
    expect(kernel.sent.length).toBe(2);
  });
});

describe('kernel answers', () => {
  it('get returns undefined on ENODEV and the decoded link otherwise', async () => {
    const { links } = setup((m, k) => {
      const req = decodeLinkMessage(m.payload, m.flags);
      if (req.attributes.ifname === 'eth0') return [k.reply(m, RtmType.RTM_NEWLINK, link(2, 'eth0')), k.ack(m)];
      return k.error(m, ENODEV);
    });
    expect(await links.get('nope')).toBeUndefined();
    const eth0 = await links.get('eth0');
    expect(eth0).toMatchObject({ index: 2, name: 'eth0', mtu: 1500, up: true, flags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'] });
    await expect(links.index('nope')).rejects.toMatchObject({ code: 'ENODEV' });
  });

  it('a refusal names the attribute the kernel pointed at (extack offset → path)', async () => {
    const request = toOutgoing(createVethRequest('a', {}, 'b', {}));
    const span = request.spans!.find((s) => s.path === 'linkinfo.data.peer.ifname')!;
    const { links } = setup((m, k) => k.error(m, EINVAL, { message: 'bad peer name', offset: span.start }));
    const err = (await links.createVeth({ name: 'a', peer: { name: 'b' } }).catch((e: unknown) => e)) as NetlinkError;
    expect(err).toBeInstanceOf(NetlinkError);
    expect(err).toMatchObject({ code: 'EINVAL', extack: 'bad peer name', attribute: 'linkinfo.data.peer.ifname' });
  });

  it('create requests ask for NLM_F_CREATE | NLM_F_EXCL and an ack; set and delete do not create', async () => {
    const { kernel, links } = setup();
    await links.createIfb({ name: 'ifb0', up: true });
    await links.set('ifb0', { mtu: 1400 });
    await links.delete('ifb0');
    const [create, set, del] = kernel.received;
    expect(create!.flags).toBe(NlmFlags.NLM_F_REQUEST | NlmFlags.NLM_F_ACK | NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL);
    expect(decodeLinkMessage(create!.payload, create!.flags).header).toMatchObject({ flags: 1, change: 1 });
    expect(set!.flags).toBe(NlmFlags.NLM_F_REQUEST | NlmFlags.NLM_F_ACK);
    expect(decodeLinkMessage(set!.payload, set!.flags).attributes).toEqual({ ifname: 'ifb0', mtu: 1400 });
    expect(del!.type).toBe(RtmType.RTM_DELLINK);
  });

  it('renaming resolves the index first, since IFLA_IFNAME then carries the new name', async () => {
    const { kernel, links } = setup((m, k) => (m.type === RtmType.RTM_GETLINK ? [k.reply(m, RtmType.RTM_NEWLINK, link(5, 'old')), k.ack(m)] : k.ack(m)));
    await links.set('old', { name: 'new' });
    const setMsg = kernel.received.at(-1)!;
    expect(decodeLinkMessage(setMsg.payload, setMsg.flags)).toMatchObject({ header: { index: 5 }, attributes: { ifname: 'new' } });
  });

  it('list filters by master in the request and again on arrival (kernels that ignore it)', async () => {
    const { kernel, links } = setup((m, k) => {
      if (!(m.flags & NlmFlags.NLM_F_DUMP)) return [k.reply(m, RtmType.RTM_NEWLINK, link(3, 'br0')), k.ack(m)];
      return [k.part(m, RtmType.RTM_NEWLINK, link(4, 'p1', { master: 3 })), k.part(m, RtmType.RTM_NEWLINK, link(5, 'other')), k.done(m)];
    });
    const ports = await links.list({ master: 'br0' });
    expect(ports.map((l) => l.name)).toEqual(['p1']);
    const dump = kernel.received.at(-1)!;
    expect(decodeLinkMessage(dump.payload, dump.flags).attributes).toMatchObject({ master: 3 });
  });

  it('list decodes a dump spread over several datagrams into typed links', async () => {
    const { links } = setup((m, k) => [
      k.part(m, RtmType.RTM_NEWLINK, link(1, 'lo')),
      k.part(m, RtmType.RTM_NEWLINK, link(2, 'br0', { linkinfo: { kind: 'bridge', data: { stpState: 1 } } })),
      k.done(m),
    ]);
    const all = await links.list();
    expect(all.map((l) => [l.index, l.name, l.kind])).toEqual([[1, 'lo', undefined], [2, 'br0', 'bridge']]);
    expect(all[1]!.bridge).toEqual({ stpState: 1 });
  });

  it('deleteGroup sends one RTM_DELLINK with ifindex 0 and IFLA_GROUP', async () => {
    const { kernel, links } = setup();
    await links.deleteGroup(42);
    expect(kernel.received.length).toBe(1);
    const m = kernel.received[0]!;
    expect(m.type).toBe(RtmType.RTM_DELLINK);
    expect(decodeLinkMessage(m.payload, m.flags)).toEqual({ header: { family: 0, type: 0, index: 0, flags: 0, change: 0 }, attributes: { group: 42 } });
  });
});
