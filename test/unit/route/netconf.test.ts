import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { ValidationError } from '../../../src/netlink/errors.js';
import { FakeKernel } from '../../../src/netlink/testing/fake-kernel.js';
import { RtmType } from '../../../src/netlink/route/constants.js';
import { netconfMessage } from '../../../src/netlink/route/netconf.js';
import { Netconf, setForwarding, toNetconfEntry } from '../../../src/route/netconf.js';
import { rows } from '../../helpers/hex.js';
import { captured, capturedAll } from './fixture-messages.js';

const { RTM_NEWNETCONF, RTM_GETNETCONF } = RtmType;

function setup(handler?: ConstructorParameters<typeof FakeKernel>[0]) {
  const kernel = new FakeKernel(handler);
  return { kernel, netconf: new Netconf(new Connection(kernel, { timeoutMs: 2000 })) };
}

describe('netconf', () => {
  const dump = capturedAll('netconf-show', RTM_NEWNETCONF);

  it('list = ip netconf show: IPv4 and IPv6 entries per device and for all/default', async () => {
    const { kernel, netconf } = setup((m, k) => [...dump.map((r) => k.part(m, RTM_NEWNETCONF, r.payload)), k.done(m)]);
    const list = await netconf.list();
    expect(rows(kernel.received[0]!.payload)).toBe(rows(captured('netconf-show', RTM_GETNETCONF).payload));
    const v4all = list.find((e) => e.family === 'inet' && e.ifindex === 'all')!;
    expect(v4all).toMatchObject({ forwarding: false, rpFilter: expect.any(Number), proxyNeigh: false });
    expect(list.some((e) => e.family === 'inet6' && e.ifindex === 'default')).toBe(true);
    expect(list.filter((e) => typeof e.ifindex === 'number').length).toBeGreaterThan(0);
    expect((await netconf.list({ family: 6 })).every((e) => e.family === 'inet6')).toBe(true);
  });

  it('get = ip netconf show dev: one entry, requested by NETCONFA_IFINDEX', async () => {
    const request = captured('netconf-show-dev', RTM_GETNETCONF);
    const answer = captured('netconf-show-dev', RTM_NEWNETCONF, 'reply');
    const { kernel, netconf } = setup((m, k) => [k.reply(m, RTM_NEWNETCONF, answer.payload), k.ack(m)]);
    const ipRequest = netconfMessage.decode(request.payload, request.at);
    const entry = await netconf.get(ipRequest.attributes.ifindex!, ipRequest.header.family === 2 ? 'inet' : 'inet6');
    expect(rows(kernel.received[0]!.payload)).toBe(rows(request.payload));
    expect(entry.ifindex).toBe(ipRequest.attributes.ifindex);
    expect(entry.forwarding).toBe(false);
  });

  it("'all' and 'default' are NETCONFA_IFINDEX -1 and -2", async () => {
    const { kernel, netconf } = setup((m, k) => [k.reply(m, RTM_NEWNETCONF, dump[0]!.payload), k.ack(m)]);
    await netconf.get('all', 4);
    await netconf.get('default', 6);
    expect(kernel.received.map((m) => netconfMessage.decode(m.payload, 16).attributes.ifindex)).toEqual([-1, -2]);
  });

  it('booleans are booleans; absent settings stay absent', () => {
    const e = toNetconfEntry({ header: { family: 10 }, attributes: { ifindex: 4, forwarding: 1, proxyNeigh: 0 } });
    expect(e).toMatchObject({ family: 'inet6', ifindex: 4, forwarding: true, proxyNeigh: false });
    expect('rpFilter' in e).toBe(false);
  });

  it('setForwarding checks its input before touching any sysctl', () => {
    expect(() => setForwarding(undefined, 'bad/name', 4, true)).toThrow(ValidationError);
    expect(() => setForwarding(undefined, 'eth0', 5 as never, true)).toThrow(ValidationError);
    expect(() => setForwarding(undefined, 'eth0', 4, 'yes' as never)).toThrow(ValidationError);
  });
});
