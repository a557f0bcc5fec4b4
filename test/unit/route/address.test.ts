import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { NetlinkError, ValidationError } from '../../../src/netlink/errors.js';
import { FakeKernel } from '../../../src/netlink/testing/fake-kernel.js';
import { bodyWriter } from '../../../src/netlink/message.js';
import { addressMessage, INFINITY_LIFE_TIME, type AddressMessageValue } from '../../../src/netlink/route/address.js';
import { RtmType } from '../../../src/netlink/route/constants.js';
import { Addresses, toAddress, type AddressInput } from '../../../src/route/addresses.js';
import { rows } from '../../helpers/hex.js';
import { captured, capturedAll } from './fixture-messages.js';

const { RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR, RTM_GETLINK, RTM_NEWLINK } = RtmType;
const WRITE = NlmFlags.NLM_F_REQUEST | NlmFlags.NLM_F_ACK;

function setup(handler?: ConstructorParameters<typeof FakeKernel>[0]) {
  const kernel = new FakeKernel(handler);
  const conn = new Connection(kernel, { timeoutMs: 2000 });
  return { kernel, addresses: new Addresses(conn) };
}

function sentOfType(kernel: FakeKernel, type: number) {
  return kernel.received.filter((m) => m.type === type);
}

function encodeAddress(value: AddressMessageValue): Uint8Array {
  const w = bodyWriter();
  addressMessage.encode(w, value);
  return w.finish().slice();
}

describe('addresses: requests match what ip sends, byte for byte', () => {
  const cases: Array<[fixture: string, method: 'add' | 'replace', input: AddressInput, flags: number]> = [
    ['addr-add-broadcast-label', 'add', { dev: 3, address: '192.168.15.1/24', broadcast: '+', label: 'v0:web' }, NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL],
    ['addr-add-host', 'add', { dev: 3, address: '192.168.15.1' }, NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL],
    ['addr-add-v6-nodad', 'add', { dev: 3, address: '2001:db8::1/64', flags: ['nodad'] }, NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL],
    ['addr-add-noprefixroute', 'add', { dev: 3, address: '192.168.16.1/24', flags: ['noprefixroute'] }, NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL],
    ['addr-add-lifetimes', 'add', { dev: 3, address: '192.168.15.7/24', validLifetime: 300, preferredLifetime: 200 }, NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL],
    ['addr-replace', 'replace', { dev: 3, address: '192.168.15.1/24', validLifetime: 100, preferredLifetime: 50 }, NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_REPLACE],
  ];
  for (const [fixture, method, input, flags] of cases) {
    it(`${method} ${JSON.stringify(input)} = ${fixture}`, async () => {
      const { kernel, addresses } = setup();
      await addresses[method](input);
      const [sent] = sentOfType(kernel, RTM_NEWADDR);
      const ip = captured(fixture, RTM_NEWADDR);
      expect(rows(sent!.payload)).toBe(rows(ip.payload));
      expect(sent!.flags).toBe(WRITE | flags);
      expect(ip.flags).toBe(WRITE | flags);
    });
  }

  it('delete with a prefix length = ip addr del (IFA_LOCAL and IFA_ADDRESS)', async () => {
    const { kernel, addresses } = setup();
    await addresses.delete({ dev: 3, address: '192.168.15.1/24' });
    const [sent] = sentOfType(kernel, RTM_DELADDR);
    expect(rows(sent!.payload)).toBe(rows(captured('addr-del', RTM_DELADDR).payload));
    expect(sent!.flags).toBe(WRITE);
  });

  it('delete of an IPv4 address without a length matches any prefix: IFA_LOCAL only', async () => {
    const { kernel, addresses } = setup();
    await addresses.delete({ dev: 3, address: '192.168.15.1' });
    const sent = addressMessage.decode(sentOfType(kernel, RTM_DELADDR)[0]!.payload, 16);
    expect(sent.attributes).toEqual({ local: '192.168.15.1' });
    expect(sent.header.prefixlen).toBe(32);
  });
});

describe('addresses: dev by name', () => {
  it('looks the name up with RTM_GETLINK first and uses the ifindex the kernel returns', async () => {
    const { kernel, addresses } = setup((m, k) => {
      if (m.type !== RTM_GETLINK) return k.ack(m);
      const reply = new Uint8Array(16);
      new DataView(reply.buffer).setInt32(4, 7, true); // ifinfomsg.ifi_index
      return [k.reply(m, RTM_NEWLINK, reply), k.ack(m)];
    });
    await addresses.add({ dev: 'veth-red', address: '192.168.15.1/24' });
    const lookup = sentOfType(kernel, RTM_GETLINK)[0]!;
    expect(Buffer.from(lookup.payload).includes(Buffer.from('veth-red\0'))).toBe(true);
    expect(addressMessage.decode(sentOfType(kernel, RTM_NEWADDR)[0]!.payload, 16).header.index).toBe(7);
  });

  it('a missing device is the kernel error ENODEV, and nothing else is sent', async () => {
    const { kernel, addresses } = setup((m, k) => (m.type === RTM_GETLINK ? k.error(m, 19) : k.ack(m)));
    const err = await addresses.add({ dev: 'nope', address: '10.0.0.1/8' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('ENODEV');
    expect(sentOfType(kernel, RTM_NEWADDR)).toHaveLength(0);
  });
});

describe('addresses: bad input is a ValidationError naming the field, and nothing is sent', () => {
  const bad: Array<[string, unknown, string]> = [
    ['three octets', { dev: 3, address: '1.2.3' }, 'address'],
    ['leading zero (octal to inet_aton)', { dev: 3, address: '01.2.3.4' }, 'address'],
    ['prefix /33', { dev: 3, address: '1.2.3.4/33' }, 'address'],
    ['IPv6 prefix /129', { dev: 3, address: '2001:db8::1/129' }, 'address'],
    ['peer of the other family', { dev: 3, address: '10.0.0.1', peer: '2001:db8::2' }, 'peer'],
    ['broadcast on IPv6', { dev: 3, address: '2001:db8::1/64', broadcast: '+' }, 'broadcast'],
    ['IPv6 broadcast address', { dev: 3, address: '10.0.0.1/8', broadcast: '2001:db8::ff' }, 'broadcast'],
    ['anycast of the other family', { dev: 3, address: '10.0.0.1/8', anycast: '::1' }, 'anycast'],
    ['unknown flag', { dev: 3, address: '10.0.0.1/8', flags: ['fast'] }, 'flags'],
    ['state flag (kernel-set)', { dev: 3, address: '10.0.0.1/8', flags: ['permanent'] }, 'flags'],
    ['preferred > valid', { dev: 3, address: '10.0.0.1/8', validLifetime: 10, preferredLifetime: 20 }, 'preferredLifetime'],
    ['zero valid lifetime', { dev: 3, address: '10.0.0.1/8', validLifetime: 0 }, 'validLifetime'],
    ['negative metric', { dev: 3, address: '10.0.0.1/8', metric: -1 }, 'metric'],
    ['unknown scope', { dev: 3, address: '10.0.0.1/8', scope: 'galaxy' }, 'scope'],
    ['empty label', { dev: 3, address: '10.0.0.1/8', label: '' }, 'label'],
    ['16-byte label', { dev: 3, address: '10.0.0.1/8', label: 'v0:abcdefghijklm' }, 'label'],
    ['16-byte device name', { dev: 'x'.repeat(16), address: '10.0.0.1/8' }, 'dev'],
    ['device name with a slash', { dev: 'a/b', address: '10.0.0.1/8' }, 'dev'],
    ['ifindex 0', { dev: 0, address: '10.0.0.1/8' }, 'dev'],
  ];
  for (const [what, input, field] of bad) {
    it(what, async () => {
      const { kernel, addresses } = setup();
      const err = await addresses.add(input as AddressInput).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect(kernel.sent).toHaveLength(0);
    });
  }

  it('delete and list check their input too', async () => {
    const { kernel, addresses } = setup();
    await expect(addresses.delete({ dev: 3, address: '300.1.1.1' })).rejects.toThrow(ValidationError);
    await expect(addresses.list({ family: 5 as never })).rejects.toThrow(ValidationError);
    await expect(addresses.list({ dev: '' })).rejects.toThrow(ValidationError);
    expect(kernel.sent).toHaveLength(0);
  });
});

describe('addresses: list and the typed Address', () => {
  const replies = capturedAll('addr-show', RTM_NEWADDR);

  it('decodes the kernel replies of ip -j addr show into typed addresses', async () => {
    const { kernel, addresses } = setup((m, k) => (m.type === RTM_GETADDR ? [...replies.map((r) => k.part(m, RTM_NEWADDR, r.payload)), k.done(m)] : k.ack(m)));
    const list = await addresses.list({ dev: 3 });
    expect(list.slice(0, 3).map((a) => [a.family, a.address, a.prefixLength, a.scope])).toEqual([
      ['inet', '192.168.15.1', 24, 'global'],
      ['inet', '192.168.15.2', 24, 'global'],
      ['inet6', '2001:db8::1', 64, 'global'],
    ]);
    expect(list[3]).toMatchObject({ family: 'inet6', prefixLength: 64, scope: 'link' });
    expect(list[3]!.address).toMatch(/^fe80::/);
    expect(list).toHaveLength(4);
    expect(list[1]!.flags).toEqual(['secondary', 'permanent']);
    expect(list[2]!.flags).toEqual(['nodad', 'permanent']);
    expect(list[0]!.label).toBe('v0');
    expect(list[0]!.validLifetime).toBe(INFINITY_LIFE_TIME);
    expect(list[0]!.created).toBeGreaterThan(0);
    // The dump asked the kernel for ifindex 3 only (strict checking filters on ifa_index).
    const request = addressMessage.decode(sentOfType(kernel, RTM_GETADDR)[0]!.payload, 16);
    expect(request.header).toEqual({ family: 0, prefixlen: 0, flags: 0, scope: 0, index: 3 });
  });

  it('filters again locally: other devices and families are dropped even if the kernel sends them', async () => {
    const { addresses } = setup((m, k) => (m.type === RTM_GETADDR ? [...replies.map((r) => k.part(m, RTM_NEWADDR, r.payload)), k.done(m)] : k.ack(m)));
    expect((await addresses.list({ family: 'inet6' })).every((a) => a.family === 'inet6')).toBe(true);
    expect(await addresses.list({ dev: 9 })).toEqual([]);
  });

  it('a point-to-point address shows its peer; IFA_FLAGS wins over ifa_flags', () => {
    const a = toAddress({
      header: { family: 2, prefixlen: 32, flags: 0x80, scope: 0, index: 4 },
      attributes: { local: '10.0.0.1', address: '10.0.0.2', flags: ['noprefixroute', 'permanent'] },
    });
    expect(a.address).toBe('10.0.0.1');
    expect(a.peer).toBe('10.0.0.2');
    expect(a.flags).toEqual(['noprefixroute', 'permanent']);
  });
});

describe('addresses: flush', () => {
  function withAddresses(values: AddressMessageValue[], onDelete: (index: number) => number) {
    let deletes = 0;
    return setup((m, k) => {
      if (m.type === RTM_GETADDR) return [...values.map((v) => k.part(m, RTM_NEWADDR, encodeAddress(v))), k.done(m)];
      if (m.type === RTM_DELADDR) {
        const errno = onDelete(deletes++);
        return errno === 0 ? k.ack(m) : k.error(m, errno);
      }
      return k.ack(m);
    });
  }
  const primary: AddressMessageValue = { header: { family: 2, prefixlen: 24, flags: 0x80, scope: 0, index: 3 }, attributes: { address: '10.0.0.1', local: '10.0.0.1' } };
  const secondary: AddressMessageValue = { header: { family: 2, prefixlen: 24, flags: 0x81, scope: 0, index: 3 }, attributes: { address: '10.0.0.2', local: '10.0.0.2' } };

  it('deletes secondaries before primaries, in one datagram, and counts the deletions', async () => {
    const { kernel, addresses } = withAddresses([primary, secondary], () => 0);
    expect(await addresses.flush({ dev: 3 })).toBe(2);
    const deletes = sentOfType(kernel, RTM_DELADDR).map((m) => addressMessage.decode(m.payload, 16).attributes.local);
    expect(deletes).toEqual(['10.0.0.2', '10.0.0.1']);
    expect(kernel.sent.filter((d) => d.length > 0)).toHaveLength(2); // the dump request, then one batch
  });

  it('an address already gone (EADDRNOTAVAIL) is not an error; others are', async () => {
    const gone = withAddresses([primary, secondary], (i) => (i === 0 ? 99 : 0));
    expect(await gone.addresses.flush()).toBe(1);
    const failing = withAddresses([primary], () => 1);
    await expect(failing.addresses.flush()).rejects.toMatchObject({ code: 'EPERM' });
  });

  it('nothing to flush sends only the dump', async () => {
    const { kernel, addresses } = withAddresses([], () => 0);
    expect(await addresses.flush({ family: 6 })).toBe(0);
    expect(kernel.received.map((m) => m.type)).toEqual([RTM_GETADDR]);
  });
});
