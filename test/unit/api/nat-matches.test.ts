/**
 * The rule helpers (api/nat/matches.ts): the register form nft generates for the same text
 * (as `nft --debug=netlink` prints it), the same expressions shared between rules as frozen
 * constant expressions, a new array each call, and a port that is not one refused.
 */
import { describe, expect, it } from 'vitest';
import { counter, dnatTo, masquerade, matchAddress, matchDnatted, matchFamily, matchLocalDestination, matchOutInterface, matchPort, matchProtocol } from '../../../src/api/nat/matches.js';
import { ValidationError } from '../../../src/netlink/errors.js';
import { encodeBatch } from '../../../src/nft/batch.js';
import { describeExpression, type Expression } from '../../../src/nft/expressions/index.js';
import { addRule } from '../../../src/nft/rule-commands.js';

const described = (list: Expression[]): string[] => list.map(describeExpression);
const ip4 = (...b: number[]) => Uint8Array.from(b);

describe('rule helpers', () => {
  it('build the expressions nft builds for the same statements', () => {
    expect(described([...matchProtocol('tcp'), ...matchPort('dport', [8080, 8080]), ...dnatTo(4, ip4(10, 0, 0, 2), [80, 80])])).toEqual([
      '[ meta load l4proto => reg 1 ]',
      '[ cmp eq reg 1 0x00000006 ]',
      '[ payload load 2b @ transport header + 2 => reg 1 ]',
      '[ cmp eq reg 1 0x0000901f ]',
      '[ immediate reg 1 0x0200000a ]',
      '[ immediate reg 2 0x00005000 ]',
      '[ nat dnat ip addr_min reg 1 proto_min reg 2 flags 0x2 ]',
    ]);
    expect(described([...matchPort('sport', [8000, 8010]), ...dnatTo(6, new Uint8Array(16), [80, 90])])).toEqual([
      '[ payload load 2b @ transport header + 0 => reg 1 ]',
      '[ cmp gte reg 1 0x0000401f ]',
      '[ cmp lte reg 1 0x00004a1f ]',
      '[ immediate reg 1 0x00000000 0x00000000 0x00000000 0x00000000 ]',
      '[ immediate reg 2 0x00005000 ]',
      '[ immediate reg 3 0x00005a00 ]',
      '[ nat dnat ip6 addr_min reg 1 proto_min reg 2 proto_max reg 3 flags 0x2 ]',
    ]);
    expect(described([...matchFamily(6), ...matchAddress('saddr', { family: 4, bytes: ip4(10, 1, 2, 0), prefixLength: 23 }), ...matchDnatted(), ...counter(), ...masquerade()])).toEqual([
      '[ meta load nfproto => reg 1 ]',
      '[ cmp eq reg 1 0x0000000a ]',
      '[ payload load 4b @ network header + 12 => reg 1 ]',
      '[ bitwise reg 1 = ( reg 1 & 0x00feffff ) ^ 0x00000000 ]',
      '[ cmp eq reg 1 0x0002010a ]',
      '[ ct load status => reg 1 ]',
      '[ bitwise reg 1 = ( reg 1 & 0x00000020 ) ^ 0x00000000 ]',
      '[ cmp neq reg 1 0x00000000 ]',
      '[ counter pkts 0 bytes 0 ]',
      '[ masq ]',
    ]);
    expect(described([...matchAddress('daddr', { family: 4, bytes: ip4(10, 1, 2, 3), prefixLength: 32 }, 'neq'), ...matchLocalDestination(), ...matchOutInterface('eth0')])).toEqual([
      '[ payload load 4b @ network header + 16 => reg 1 ]',
      '[ cmp neq reg 1 0x0302010a ]',
      '[ fib daddr type => reg 1 ]',
      '[ cmp eq reg 1 0x00000002 ]',
      '[ meta load oifname => reg 1 ]',
      '[ cmp eq reg 1 0x30687465 0x00000000 0x00000000 0x00000000 ]',
    ]);
  });

  it('share what is the same between rules, frozen, and make anew what differs', () => {
    const a = [...matchProtocol('tcp'), ...matchPort('dport', [1024, 1024]), ...dnatTo(4, ip4(10, 0, 0, 1), [8080, 8080])];
    const b = [...matchProtocol('tcp'), ...matchPort('dport', [1025, 1025]), ...dnatTo(4, ip4(10, 0, 0, 2), [8080, 8080])];
    const shared = a.map((e, i) => e === b[i]);
    // meta, cmp tcp, payload, (the port's cmp), (the address), the target port, nat
    expect(shared).toEqual([true, true, true, false, false, true, true]);
    for (const e of a.filter((_, i) => shared[i])) expect(Object.isFrozen(e)).toBe(true);
    expect(Object.isFrozen(a[3])).toBe(false);
    expect(() => {
      (a[1] as { op: string }).op = 'neq';
    }).toThrow(TypeError);
    // Each call's array is its own.
    const first = matchProtocol('udp');
    first.push(...counter());
    expect(matchProtocol('udp')).toHaveLength(2);
  });

  it('encode the same bytes whether shared or built anew', () => {
    const rule = (expressions: Expression[]) => addRule({ family: 'ip', table: 'nat', chain: 'pre', expressions });
    const shared = [...matchProtocol('tcp'), ...matchPort('dport', [80, 80]), ...dnatTo(4, ip4(10, 0, 0, 2), [8080, 8080]), ...counter()];
    const copies = shared.map((e) => structuredClone(e));
    const bodies = (list: Expression[]) => encodeBatch({ commands: Array.from({ length: 12 }, () => rule(list)) }).messages.map((m) => m.payload);
    expect(bodies(shared)).toEqual(bodies(copies));
  });

  it('share a target port up to a bound, and build the others as ordinary expressions', () => {
    const loads = Array.from({ length: 1500 }, (_, i) => dnatTo(4, ip4(10, 0, 0, 1), [20000 + i, 20000 + i])[1]!);
    const again = Array.from({ length: 1500 }, (_, i) => dnatTo(4, ip4(10, 0, 0, 1), [20000 + i, 20000 + i])[1]!);
    const sharedCount = loads.filter((e, i) => e === again[i]).length;
    expect(sharedCount).toBeGreaterThan(0);
    expect(sharedCount).toBeLessThanOrEqual(1024);
    // Shared or not, each is the port's load.
    loads.forEach((e, i) => expect(describeExpression(e)).toBe(describeExpression({ type: 'immediate', dreg: 2, data: { value: ip4((20000 + i) >> 8, (20000 + i) & 0xff) } })));
  });

  it('refuse a port that is not an integer from 0 to 65535, before building anything', () => {
    for (const bad of [-1, 65536, 1.5, Number.NaN]) {
      expect(() => matchPort('dport', [bad, bad])).toThrow(ValidationError);
      expect(() => dnatTo(4, ip4(10, 0, 0, 1), [bad, bad])).toThrow(/port: must be an integer from 0 to 65535/);
    }
  });
});
