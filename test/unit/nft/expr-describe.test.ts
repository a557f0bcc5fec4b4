/**
 * `nft --debug=netlink` lines for the forms the captured corpus does not reach, following
 * libnftnl's output functions (src/expr/*.c: absent attributes print as zero, unknown numbers
 * as "unknown").
 */
import { describe, expect, it } from 'vitest';
import { describeExpression, type Expression } from '../../../src/nft/expressions/index.js';

const v = (...b: number[]): { value: Uint8Array } => ({ value: Uint8Array.from(b) });

const cases: Array<[string, Expression, string]> = [
  ['payload write with checksum', { type: 'payload', sreg: 1, base: 'transport', offset: 2, len: 2, csumType: 'inet', csumOffset: 16, csumFlags: ['pseudohdr'] }, '[ payload write reg 1 => 2b @ transport header + 2 csum_type 1 csum_off 16 csum_flags 0x1 ]'],
  ['payload write without checksum', { type: 'payload', sreg: 2, base: 'link', offset: 0, len: 6 }, '[ payload write reg 2 => 6b @ link header + 0 csum_type 0 csum_off 0 csum_flags 0x0 ]'],
  ['payload from an unknown base', { type: 'payload', dreg: 1, base: 7, offset: 0, len: 1 }, '[ payload load 1b @ unknown header + 0 => reg 1 ]'],
  ['payload inner header', { type: 'payload', dreg: 1, base: 'inner', offset: 4, len: 4 }, '[ payload load 4b @ inner header + 4 => reg 1 ]'],
  ['cmp with an unknown operator', { type: 'cmp', sreg: 1, op: 9, data: v(1) }, '[ cmp unknown reg 1 0x00000001 ]'],
  ['cmp lt on 32-bit register 9', { type: 'cmp', sreg: 9, op: 'lt', data: v(0, 0, 1, 0, 5) }, '[ cmp lt reg 9 0x00010000 0x00000005 ]'],
  ['bitwise left shift', { type: 'bitwise', sreg: 1, dreg: 1, op: 'lshift', len: 4, data: v(8, 0, 0, 0) }, '[ bitwise reg 1 = ( reg 1 << 0x00000008 ) ]'],
  ['bitwise and of two registers', { type: 'bitwise', sreg: 1, dreg: 2, op: 'and', len: 4, sreg2: 3 }, '[ bitwise reg 2 = ( reg 1 & reg 3 ) ]'],
  ['bitwise or with a constant', { type: 'bitwise', sreg: 1, dreg: 1, op: 'or', len: 4, data: v(1, 0, 0, 0) }, '[ bitwise reg 1 = ( reg 1 | 0x00000001 ) ]'],
  ['lookup, inverted, into a map', { type: 'lookup', sreg: 1, dreg: 2, set: 'm', flags: ['inv'] }, '[ lookup reg 1 set m dreg 2 0x1 ]'],
  ['meta without register', { type: 'meta', key: 'mark' }, '[ meta ]'],
  ['meta set', { type: 'meta', key: 'priority', sreg: 3 }, '[ meta set priority with reg 3 ]'],
  ['meta with an unknown key', { type: 'meta', key: 99, dreg: 1 }, '[ meta load unknown => reg 1 ]'],
  ['ct set with a direction', { type: 'ct', key: 'zone', sreg: 1, direction: 'reply' }, '[ ct set zone with reg 1 , dir reply ]'],
  ['nat without family', { type: 'nat', natType: 'snat', addrMin: 1 }, '[ nat snat unknown addr_min reg 1 ]'],
  ['nat with every register', { type: 'nat', natType: 'dnat', family: 'ip6', addrMin: 1, addrMax: 2, protoMin: 3, protoMax: 4, flags: ['map-ips', 'proto-specified', 'fully-random'] }, '[ nat dnat ip6 addr_min reg 1 addr_max reg 2 proto_min reg 3 proto_max reg 4 flags 0x13 ]'],
  ['redir with a port range', { type: 'redir', protoMin: 1, protoMax: 2 }, '[ redir proto_min reg 1 proto_max reg 2 ]'],
  ['exthdr tcp option reset', { type: 'exthdr', op: 'tcpopt', exthdrType: 2 }, '[ exthdr reset tcpopt 2 ]'],
  ['exthdr sctp chunk, no register', { type: 'exthdr', op: 'sctp', exthdrType: 1, len: 4 }, '[ exthdr op 3 len 4 type 1 offset 0 ]'],
  ['exthdr ipv4 option load', { type: 'exthdr', op: 'ipv4', exthdrType: 7, offset: 2, len: 1, dreg: 1 }, '[ exthdr load ipv4 1b @ 7 + 2 => reg 1 ]'],
  ['exthdr write of an IPv6 header field', { type: 'exthdr', op: 'ipv6', exthdrType: 44, offset: 0, len: 1, sreg: 1 }, '[ exthdr write ipv6 reg 1 => 1b @ 44 + 0 ]'],
  ['log level and some flags', { type: 'log', level: 'info', flags: ['tcpseq', 'uid'] }, '[ log level 6 tcpseq uid ]'],
  ['log nflog group only', { type: 'log', group: 3 }, '[ log group 3 snaplen 0 qthreshold 0 ]'],
  ['limit per two minutes', { type: 'limit', rate: 5n, unit: 120n, burst: 1, limitType: 'packets' }, '[ limit rate 5/2 minute burst 1 type packets flags 0x0 ]'],
  ['limit per day in bytes', { type: 'limit', rate: 1024n, unit: 86400n, burst: 0, limitType: 'bytes', flags: ['inv'] }, '[ limit rate 1024/day burst 0 type bytes flags 0x1 ]'],
  ['limit per week', { type: 'limit', rate: 1n, unit: 604800n }, '[ limit rate 1/week burst 0 type packets flags 0x0 ]'],
  ['fib with an unknown flag', { type: 'fib', flags: ['daddr', 0x40], result: 'oif', dreg: 1 }, '[ fib daddr unknown 0x40 oif => reg 1 ]'],
  ['fib mark and oif keys', { type: 'fib', flags: ['saddr', 'mark', 'oif'], result: 'oifname', dreg: 1 }, '[ fib saddr . mark . oif oifname => reg 1 ]'],
  ['dynset with data, timeout and expressions', { type: 'dynset', op: 'update', sregKey: 1, sregData: 2, set: 'm', timeout: 1500n, expressions: [{ type: 'counter', packets: 0n, bytes: 0n }, { type: 'limit', rate: 1n, unit: 1n, burst: 5, limitType: 'packets' }] }, '[ dynset update reg_key 1 set m sreg_data 2 timeout 1500ms expr [ counter pkts 0 bytes 0 ] expr [ limit rate 1/second burst 5 type packets flags 0x0 ] ]'],
  ['dynset delete', { type: 'dynset', op: 'delete', sregKey: 1, set: 's' }, '[ dynset delete reg_key 1 set s ]'],
  ['objref through a map', { type: 'objref', setSreg: 1, setName: 'objs' }, '[ objref sreg 1 set objs ]'],
  ['reject icmpx', { type: 'reject', rejectType: 'icmpx', code: 3 }, '[ reject type 2 code 3 ]'],
  ['quota spent and inverted', { type: 'quota', bytes: 10n, consumed: 11n, flags: ['inv', 'depleted'] }, '[ quota bytes 10 consumed 11 flags 3 ]'],
  ['counter with counts', { type: 'counter', packets: 12n, bytes: 3456n }, '[ counter pkts 12 bytes 3456 ]'],
  ['immediate goto', { type: 'immediate', dreg: 0, data: { verdict: { code: 'goto', chain: 'c' } } }, '[ immediate reg 0 goto -> c ]'],
  ['immediate of 16 bytes', { type: 'immediate', dreg: 1, data: v(0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2) }, '[ immediate reg 1 0x000000fd 0x00000000 0x00000000 0x02000000 ]'],
  ['range eq', { type: 'range', sreg: 1, op: 'eq', from: v(0, 1), to: v(0, 9) }, '[ range eq reg 1 0x00000100 0x00000900 ]'],
  ['opaque', { type: 'opaque', name: 'tproxy', data: [{ type: 1, nested: false, netByteOrder: false, value: Uint8Array.of(0, 0, 0, 2) }] }, '[ tproxy 1=0x00000002 ]'],
];

describe('describeExpression', () => {
  for (const [what, expression, line] of cases) {
    it(what, () => {
      expect(describeExpression(expression)).toBe(line);
    });
  }
});
