import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { ValidationError } from '../../../src/netlink/errors.js';
import { bodyWriter } from '../../../src/netlink/message.js';
import { FakeKernel } from '../../../src/netlink/testing/fake-kernel.js';
import { RtmType } from '../../../src/netlink/route/constants.js';
import { neighbourMessage, NudState, type NeighbourMessageValue } from '../../../src/netlink/route/neighbour.js';
import { Neighbours, toNeighbour, type NeighbourInput } from '../../../src/route/neighbours.js';
import { rows } from '../../helpers/hex.js';
import { captured, capturedAll } from './fixture-messages.js';

const { RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH } = RtmType;
const WRITE = NlmFlags.NLM_F_REQUEST | NlmFlags.NLM_F_ACK;

function setup(handler?: ConstructorParameters<typeof FakeKernel>[0]) {
  const kernel = new FakeKernel(handler);
  return { kernel, neighbours: new Neighbours(new Connection(kernel, { timeoutMs: 2000 })) };
}
const sentOfType = (kernel: FakeKernel, type: number) => kernel.received.filter((m) => m.type === type);

function encodeNeighbour(value: NeighbourMessageValue): Uint8Array {
  const w = bodyWriter();
  neighbourMessage.encode(w, value);
  return w.finish().slice();
}

describe('neighbours: requests match what ip neigh sends, byte for byte', () => {
  const cases: Array<[string, 'add' | 'change', NeighbourInput, number]> = [
    ['neigh-add', 'add', { dev: 3, address: '192.168.15.9', lladdr: '02:00:00:00:00:09', state: 'permanent' }, NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL],
    ['neigh-add-v6', 'add', { dev: 3, address: '2001:db8::9', lladdr: '02:00:00:00:00:09' }, NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL],
    ['neigh-add-proxy', 'add', { dev: 3, address: '192.168.15.10', proxy: true }, NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL],
    ['neigh-change', 'change', { dev: 3, address: '192.168.15.9', lladdr: '02:00:00:00:00:0a', state: 'reachable' }, NlmFlags.NLM_F_REPLACE],
  ];
  for (const [fixture, method, input, flags] of cases) {
    it(`${method} ${JSON.stringify(input)} = ${fixture}`, async () => {
      const { kernel, neighbours } = setup();
      await neighbours[method](input);
      const [sent] = sentOfType(kernel, RTM_NEWNEIGH);
      const ip = captured(fixture, RTM_NEWNEIGH);
      expect(rows(sent!.payload)).toBe(rows(ip.payload));
      expect(sent!.flags).toBe(WRITE | flags);
      expect(ip.flags).toBe(WRITE | flags);
    });
  }

  it('delete = ip neigh del', async () => {
    const { kernel, neighbours } = setup();
    await neighbours.delete({ dev: 3, address: '192.168.15.9' });
    expect(rows(sentOfType(kernel, RTM_DELNEIGH)[0]!.payload)).toBe(rows(captured('neigh-del', RTM_DELNEIGH).payload));
  });

  it('replace is NLM_F_CREATE|NLM_F_REPLACE', async () => {
    const { kernel, neighbours } = setup();
    await neighbours.replace({ dev: 3, address: '10.0.0.1', lladdr: '02:00:00:00:00:01', state: 'stale' });
    const [sent] = sentOfType(kernel, RTM_NEWNEIGH);
    expect(sent!.flags).toBe(WRITE | NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_REPLACE);
    expect(neighbourMessage.decode(sent!.payload, 16).header.state).toBe(NudState.NUD_STALE);
  });
});

describe('neighbours: the tutorial arp table, decoded', () => {
  const replies = capturedAll('neigh-show', RTM_NEWNEIGH);

  it('states and flags decode to names (PERMANENT, STALE, NOARP)', async () => {
    const { kernel, neighbours } = setup((m, k) => [...replies.map((r) => k.part(m, RTM_NEWNEIGH, r.payload)), k.done(m)]);
    const list = await neighbours.list();
    const by = new Map(list.map((n) => [n.address, n]));
    expect(by.get('192.168.15.9')).toMatchObject({ family: 'inet', state: ['permanent'], lladdr: '02:00:00:00:00:09', ifindex: 3, type: 'unicast' });
    expect(by.get('192.168.15.11')).toMatchObject({ state: ['stale'], lladdr: '02:00:00:00:00:0b' });
    expect(list.some((n) => n.family === 'inet6' && n.state.includes('noarp') && n.type === 'multicast')).toBe(true);
    expect(by.get('192.168.15.9')!.refcnt).toBeTypeOf('number');
    const request = neighbourMessage.decode(sentOfType(kernel, RTM_GETNEIGH)[0]!.payload, 16);
    expect(request.header).toEqual({ family: 0, ifindex: 0, state: 0, flags: 0, type: 0 });
  });

  it('a device filter goes in NDA_IFINDEX (what strict dump checking accepts), and is applied here too', async () => {
    const { kernel, neighbours } = setup((m, k) => [...replies.map((r) => k.part(m, RTM_NEWNEIGH, r.payload)), k.done(m)]);
    expect(await neighbours.list({ dev: 99 })).toEqual([]);
    const request = neighbourMessage.decode(sentOfType(kernel, RTM_GETNEIGH)[0]!.payload, 16);
    expect(request.attributes).toEqual({ ifindex: 99 });
    expect(request.header.ifindex).toBe(0);
  });

  it('proxy entries are listed only when asked for (NTF_PROXY in the dump request)', async () => {
    const proxy = captured('neigh-add-proxy', RTM_NEWNEIGH);
    const { kernel, neighbours } = setup((m, k) => [k.part(m, RTM_NEWNEIGH, proxy.payload), k.done(m)]);
    expect(await neighbours.list()).toEqual([]);
    const [entry] = await neighbours.list({ proxy: true });
    expect(entry).toMatchObject({ address: '192.168.15.10', flags: ['proxy'] });
    expect(neighbourMessage.decode(sentOfType(kernel, RTM_GETNEIGH)[1]!.payload, 16).header.flags).toBe(8);
  });

  it('NUD_NONE is no state at all; unknown bits stay numbers', () => {
    const n = toNeighbour({ header: { family: 2, ifindex: 1, state: 0x100, flags: 0, type: 1 }, attributes: { dst: '10.0.0.1' } });
    expect(n.state).toEqual([0x100]);
    expect(toNeighbour({ header: { family: 2, ifindex: 1, state: 0, flags: 0, type: 1 }, attributes: { dst: '10.0.0.1' } }).state).toEqual([]);
  });
});

describe('neighbours: flush', () => {
  const entry = (dst: string, state: number): NeighbourMessageValue => ({ header: { family: 2, ifindex: 3, state, flags: 0, type: 1 }, attributes: { dst, lladdr: '02:00:00:00:00:01' } });
  const table = [entry('10.0.0.1', NudState.NUD_PERMANENT), entry('10.0.0.2', NudState.NUD_STALE), entry('10.0.0.3', NudState.NUD_REACHABLE), entry('10.0.0.4', NudState.NUD_NOARP)];
  const kernelWith = (failFirst = 0) => {
    let n = 0;
    return setup((m, k) => {
      if (m.type === RTM_GETNEIGH) return [...table.map((e) => k.part(m, RTM_NEWNEIGH, encodeNeighbour(e))), k.done(m)];
      return n++ === 0 && failFirst ? k.error(m, failFirst) : k.ack(m);
    });
  };

  it('by default leaves permanent and noarp entries, as ip neigh flush', async () => {
    const { kernel, neighbours } = kernelWith();
    expect(await neighbours.flush({ dev: 3 })).toBe(2);
    expect(sentOfType(kernel, RTM_DELNEIGH).map((m) => neighbourMessage.decode(m.payload, 16).attributes.dst)).toEqual(['10.0.0.2', '10.0.0.3']);
  });

  it('states select what goes; an entry already gone (ENOENT) is not an error', async () => {
    const { neighbours } = kernelWith(2);
    expect(await neighbours.flush({ states: ['permanent', 'stale'] })).toBe(1);
  });
});

describe('neighbours: bad input is a ValidationError naming the field, and nothing is sent', () => {
  const bad: Array<[string, unknown, string]> = [
    ['bad IP', { dev: 3, address: '192.168.15', lladdr: '02:00:00:00:00:01' }, 'address'],
    ['a prefix is not an address', { dev: 3, address: '10.0.0.1/24', lladdr: '02:00:00:00:00:01' }, 'address'],
    ['bad lladdr', { dev: 3, address: '10.0.0.1', lladdr: '02:00:00:00:00:zz' }, 'lladdr'],
    ['permanent without lladdr', { dev: 3, address: '10.0.0.1' }, 'lladdr'],
    ['unknown state', { dev: 3, address: '10.0.0.1', lladdr: '02:00:00:00:00:01', state: 'happy' }, 'state'],
    ['bad device', { dev: -1, address: '10.0.0.1', lladdr: '02:00:00:00:00:01' }, 'dev'],
  ];
  for (const [what, input, field] of bad) {
    it(what, async () => {
      const { kernel, neighbours } = setup();
      const err = await neighbours.add(input as NeighbourInput).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect(kernel.sent).toHaveLength(0);
    });
  }

  it('flush states are checked', async () => {
    const { kernel, neighbours } = setup();
    await expect(neighbours.flush({ states: ['gone' as never] })).rejects.toMatchObject({ field: 'states[0]' });
    expect(kernel.sent).toHaveLength(0);
  });
});
