/**
 * The renderer's value and statement printers for the cases the captured corpus does not reach,
 * following nftables' printers (datatype.c, statement.c) checked by hand.
 */
import { describe, expect, it } from 'vitest';
import type { Expression } from '../../../src/nft/expressions/index.js';
import { flagNames, formatValue, renderRule, TCP_FLAGS } from '../../../src/nft/render/index.js';
import { dataAmount, logText, rejectText } from '../../../src/nft/render/statements.js';

const b = (...x: number[]): Uint8Array => Uint8Array.from(x);

describe('values', () => {
  const cases: Array<[Parameters<typeof formatValue>[0], Uint8Array, 'big' | 'host', string]> = [
    ['ether_type', b(0x08, 0x00), 'big', 'ip'],
    ['ether_type', b(0x88, 0xcc), 'big', '0x88cc'],
    ['dscp', b(0x2e), 'big', 'ef'],
    ['dscp', b(0x03), 'big', '0x03'],
    ['inet_proto', b(200), 'big', '200'],
    ['nf_proto', b(10), 'big', 'ipv6'],
    ['tcp_flag', b(0x12), 'big', 'syn,ack'],
    ['ct_state', b(0x41, 0, 0, 0), 'host', 'invalid,untracked'],
    ['ct_status', b(0, 0x04, 0, 0), 'host', '0x400'],
    ['mark', b(0x10, 0, 0, 0), 'host', '0x00000010'],
    ['boolean', b(0), 'big', 'missing'],
    ['time', b(0x61, 0x9d, 0x5b, 0x00), 'host', '1h40m4s65ms'],
    ['ipv6_addr', b(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), 'big', 'fe80::1'],
    ['ether_addr', b(0, 0x11, 0x22, 0x33, 0x44, 0x55), 'big', '00:11:22:33:44:55'],
    ['ifname', b(0x65, 0x74, 0x68, 0x30, 0), 'host', '"eth0"'],
    ['ifname', b(0x65, 0x74, 0x68), 'host', '"eth*"'],
    ['iface_index', b(3, 0, 0, 0), 'host', '3'],
    ['icmp_type', b(8), 'big', 'echo-request'],
    ['integer', b(1, 0), 'big', '256'],
  ];
  for (const [type, bytes, order, text] of cases) {
    it(`${type} ${Buffer.from(bytes).toString('hex')} → ${text}`, () => {
      expect(formatValue(type, bytes, order)).toBe(text);
    });
  }

  it('flags print in bit order, unknown bits in hex', () => {
    expect(flagNames(TCP_FLAGS, 0x102n)).toEqual(['syn', '0x100']);
  });
});

describe('statements', () => {
  it('log flags, each as nft spells it', () => {
    expect(logText({ type: 'log', flags: ['tcpseq', 'tcpopt'] })).toBe('log flags tcp sequence,options');
    expect(logText({ type: 'log', flags: ['tcpopt', 'ipopt', 'uid', 'macdecode'] })).toBe('log flags tcp options flags ip options flags skuid flags ether');
    expect(logText({ type: 'log', level: 'audit' })).toBe('log level audit');
    expect(logText({ type: 'log', group: 1, snaplen: 64, qthreshold: 2 })).toBe('log group 1 snaplen 64 queue-threshold 2');
  });

  it('data amounts in the largest unit up to mbytes', () => {
    expect(dataAmount(0n)).toBe('0 bytes');
    expect(dataAmount(1536n)).toBe('1536 bytes');
    expect(dataAmount(2048n)).toBe('2 kbytes');
    expect(dataAmount(5n * 1024n ** 3n)).toBe('5120 mbytes');
  });

  it('reject in each family', () => {
    expect(rejectText({ type: 'reject', rejectType: 'icmp', code: 10 }, 'ip', undefined)).toBe('reject with icmp host-prohibited');
    expect(rejectText({ type: 'reject', rejectType: 'icmp', code: 3 }, 'ip6', undefined)).toBe('reject with icmpv6 addr-unreachable');
    expect(rejectText({ type: 'reject', rejectType: 'icmp', code: 4 }, 'inet', 'ip6')).toBe('reject with icmpv6 port-unreachable');
    expect(rejectText({ type: 'reject', rejectType: 'icmpx', code: 0 }, 'bridge', undefined)).toBe('reject with icmpx no-route');
  });

  it('limits: packet bursts other than 5, byte rates with their bursts', () => {
    const limit = (e: Omit<Extract<Expression, { type: 'limit' }>, 'type'>) => renderRule([{ type: 'limit', ...e }], { family: 'ip' });
    expect(limit({ rate: 3n, unit: 3600n, burst: 5, limitType: 'packets' })).toBe('limit rate 3/hour');
    expect(limit({ rate: 3n, unit: 604800n, burst: 1, limitType: 'packets' })).toBe('limit rate 3/week burst 1 packets');
    expect(limit({ rate: 1048576n, unit: 86400n, burst: 0, limitType: 'bytes' })).toBe('limit rate 1 mbytes/day');
  });

  it('objects and verdicts by name', () => {
    const rule: Expression[] = [
      { type: 'objref', immType: 'ct helper', immName: 'ftp' },
      { type: 'objref', immType: 'synproxy', immName: 'sp' },
      { type: 'immediate', dreg: 0, data: { verdict: { code: 'drop' } } },
    ];
    expect(renderRule(rule, { family: 'ip' })).toBe('ct helper set "ftp" synproxy name "sp" drop');
  });

  it('redirect and masquerade with a port range and flags', () => {
    const rule = (type: 'redir' | 'masq'): Expression[] => [
      { type: 'immediate', dreg: 1, data: { value: b(0, 80) } },
      { type: 'immediate', dreg: 2, data: { value: b(0, 90) } },
      { type, protoMin: 1, protoMax: 2, flags: ['proto-specified', 'random', 'fully-random'] },
    ];
    expect(renderRule(rule('redir'), { family: 'ip' })).toBe('redirect to :80-90 random,fully-random');
    expect(renderRule(rule('masq'), { family: 'ip' })).toBe('masquerade to :80-90 random,fully-random');
  });
});
