/**
 * What the renderer does with what it cannot name: the expressions are printed as their
 * `nft --debug=netlink` lines in place, so nothing is silently dropped; and the options that
 * change the text (interface names, sets, stateless).
 */
import { describe, expect, it } from 'vitest';
import type { Expression } from '../../../src/nft/expressions/index.js';
import { renderRule } from '../../../src/nft/render/index.js';

const v = (...b: number[]): { value: Uint8Array } => ({ value: Uint8Array.from(b) });
const ip = { family: 'ip' } as const;

describe('raw fallback', () => {
  it('an opaque expression appears as its raw line between the statements around it', () => {
    const rule: Expression[] = [
      { type: 'counter', packets: 1n, bytes: 2n },
      { type: 'opaque', name: 'queue', data: [{ type: 1, nested: false, netByteOrder: false, value: Uint8Array.of(0, 1) }] },
      { type: 'immediate', dreg: 0, data: { verdict: { code: 'accept' } } },
    ];
    expect(renderRule(rule, ip)).toBe('counter packets 1 bytes 2 [ queue 1=0x0001 ] accept');
  });

  it('a payload at a base with no protocol context: the load and the comparison, raw', () => {
    const rule: Expression[] = [
      { type: 'payload', dreg: 1, base: 'transport', offset: 4, len: 4 },
      { type: 'cmp', sreg: 1, op: 'eq', data: v(0, 0, 0, 1) },
    ];
    expect(renderRule(rule, ip)).toBe('[ payload load 4b @ transport header + 4 => reg 1 ] [ cmp eq reg 1 0x01000000 ]');
  });

  it('a generic transport port without context is th', () => {
    const rule: Expression[] = [
      { type: 'payload', dreg: 1, base: 'transport', offset: 2, len: 2 },
      { type: 'cmp', sreg: 1, op: 'eq', data: v(0, 22) },
    ];
    expect(renderRule(rule, ip)).toBe('th dport 22');
  });

  it('a load nobody uses is printed at the end', () => {
    expect(renderRule([{ type: 'meta', key: 'mark', dreg: 1 }], ip)).toBe('[ meta load mark => reg 1 ]');
  });

  it('a register overwritten before use is printed where it was lost', () => {
    const rule: Expression[] = [
      { type: 'meta', key: 'mark', dreg: 1 },
      { type: 'meta', key: 'iif', dreg: 1 },
      { type: 'cmp', sreg: 1, op: 'eq', data: v(1, 0, 0, 0) },
    ];
    expect(renderRule(rule, ip)).toBe('[ meta load mark => reg 1 ] iif 1');
  });

  it('an anonymous set without a resolver cannot be printed inline', () => {
    const rule: Expression[] = [
      { type: 'payload', dreg: 1, base: 'network', offset: 12, len: 4 },
      { type: 'lookup', sreg: 1, set: '__set0' },
    ];
    expect(renderRule(rule, ip)).toBe('[ payload load 4b @ network header + 12 => reg 1 ] [ lookup reg 1 set __set0 ]');
  });

  it('a jump without its chain', () => {
    expect(renderRule([{ type: 'immediate', dreg: 0, data: { verdict: { code: 'jump' } } }], ip)).toBe('[ immediate reg 0 jump ]');
  });
});

describe('options', () => {
  it('named sets and maps are referenced by name', () => {
    const rule: Expression[] = [
      { type: 'payload', dreg: 1, base: 'network', offset: 12, len: 4 },
      { type: 'lookup', sreg: 1, set: 'blocked', flags: ['inv'] },
      { type: 'payload', dreg: 1, base: 'network', offset: 16, len: 4 },
      { type: 'lookup', sreg: 1, dreg: 0, set: 'routes' },
    ];
    expect(renderRule(rule, ip)).toBe('ip saddr != @blocked ip daddr vmap @routes');
  });

  it('interface indexes print as names when the caller knows them', () => {
    const rule: Expression[] = [{ type: 'meta', key: 'oif', dreg: 1 }, { type: 'cmp', sreg: 1, op: 'eq', data: v(7, 0, 0, 0) }];
    expect(renderRule(rule, ip)).toBe('oif 7');
    expect(renderRule(rule, { ...ip, ifname: (i) => (i === 7 ? 'veth0' : undefined) })).toBe('oif "veth0"');
  });

  it('stateless leaves out counter and quota values', () => {
    const rule: Expression[] = [{ type: 'counter', packets: 5n, bytes: 500n }, { type: 'quota', bytes: 1024n, consumed: 1n }];
    expect(renderRule(rule, ip)).toBe('counter packets 5 bytes 500 quota 1 kbytes used 1 bytes');
    expect(renderRule(rule, { ...ip, stateless: true })).toBe('counter quota 1 kbytes');
  });

  it('an interval set given with end keys (NFTA_SET_ELEM_KEY_END) and an open end', () => {
    const rule: Expression[] = [
      { type: 'payload', dreg: 1, base: 'network', offset: 16, len: 4 },
      { type: 'lookup', sreg: 1, set: '__set1' },
    ];
    const set = {
      name: '__set1',
      interval: true,
      elements: [
        { key: Uint8Array.of(192, 168, 0, 0), keyEnd: Uint8Array.of(192, 168, 255, 255) },
        { key: Uint8Array.of(10, 0, 0, 5), keyEnd: Uint8Array.of(10, 0, 0, 5) },
        { key: Uint8Array.of(224, 0, 0, 0) },
      ],
    };
    expect(renderRule(rule, { ...ip, resolveSet: () => set })).toBe('ip daddr { 10.0.0.5, 192.168.0.0/16, 224.0.0.0/3 }');
  });
});

describe('families', () => {
  it('a plain reject in an ip6 table, and an icmp one in inet after meta nfproto', () => {
    expect(renderRule([{ type: 'reject', rejectType: 'icmp', code: 4 }], { family: 'ip6' })).toBe('reject');
    const inet: Expression[] = [
      { type: 'meta', key: 'nfproto', dreg: 1 },
      { type: 'cmp', sreg: 1, op: 'eq', data: v(2) },
      { type: 'reject', rejectType: 'icmp', code: 3 },
    ];
    expect(renderRule(inet, { family: 'inet' })).toBe('reject with icmp port-unreachable');
  });

  it('an ip6 address with a port range in a NAT target gets brackets', () => {
    const rule: Expression[] = [
      { type: 'immediate', dreg: 1, data: v(0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2) },
      { type: 'immediate', dreg: 2, data: v(0, 80) },
      { type: 'immediate', dreg: 3, data: v(0, 90) },
      { type: 'nat', natType: 'dnat', family: 'ip6', addrMin: 1, protoMin: 2, protoMax: 3, flags: ['proto-specified', 'persistent'] },
    ];
    expect(renderRule(rule, { family: 'ip6' })).toBe('dnat to [fd00::2]:80-90 persistent');
  });
});
