/**
 * `--debug=netlink` output for commands other than a plain `add rule` (those are compared with
 * the installed nft in test/kernel/nft-cli/differential.test.ts): each expected text below is
 * what nft 1.0.6 printed for the same command, copied from its output.
 */
import { describe, expect, it } from 'vitest';
import { compileCommands } from '../../../src/nft/parse/compile/commands.js';
import { declareSet } from '../../../src/nft/parse/compile/set-declarations.js';
import { netlinkDebugText } from '../../../src/nft/parse/netlink-debug.js';
import { parseCommandLine, parseNftFile } from '../../../src/nft/parse/parse-commands.js';

function debug(text: string, options: { file?: boolean; set?: { map: boolean; type: string[]; data?: string[] } } = {}): string {
  const parsed = options.file ? parseNftFile(text, 'f.nft') : parseCommandLine(text);
  const set = options.set;
  const description = set ? declareSet('ip', 't', 'x', set.map, { key: set.type, ...(set.data ? { data: set.data } : {}), span: { start: 0, end: 0 } }, 1, false).description : undefined;
  return netlinkDebugText(compileCommands(parsed.commands, parsed.source, { kernelSet: () => description }).batch);
}

describe('nft --debug=netlink text', () => {
  it('a base chain (printed before nft fills in its table and name)', () => {
    expect(debug('add chain ip t pre { type nat hook prerouting priority dstnat; policy accept; }')).toBe('ip (null) (null) use 0 type nat hook prerouting prio -100 packets 0 bytes 0\n');
  });

  it('a netdev chain with its device', () => {
    expect(debug('add chain netdev n i { type filter hook ingress device lo priority 0; }')).toBe('netdev (null) (null) use 0 type filter hook ingress prio 0 packets 0 bytes 0 dev lo \n');
  });

  it('a regular chain, a table and deletions', () => {
    expect(debug('add chain ip t c2')).toBe('ip (null) (null) use 0\n');
    expect(debug('add table ip x')).toBe('');
    expect(debug('delete rule ip t c handle 3')).toBe('');
    expect(debug('flush ruleset')).toBe('');
  });

  it('a set with options', () => {
    expect(debug('add set ip t s { type ipv4_addr; flags timeout; timeout 1m; gc-interval 30s; size 100; policy memory; comment "hi"; }')).toBe('s t 10 timeout 60000ms gc_interval 30000ms policy 1 size 100\n');
  });

  it('an interval set with its elements (nft adds the leading end element at 0)', () => {
    expect(debug('add set ip t s { type ipv4_addr; flags interval; elements = { 10.0.0.0/8 } }')).toBe(
      's t 4\ns t 0\n\telement 00000000  : 1 [end]\telement 0000000a  : 0 [end]\telement 0000000b  : 1 [end]\n',
    );
  });

  it('a map, and elements added to an existing one', () => {
    expect(debug('add map ip t m { type inet_service : ipv4_addr; }')).toBe('m t 8\n');
    expect(debug('add element ip t m { 80 : 10.0.0.1 }', { set: { map: true, type: ['inet_service'], data: ['ipv4_addr'] } })).toBe('m t 0\n\telement 00005000  : 0100000a 0 [end]\n');
    expect(debug('delete element ip t m { 80 }', { set: { map: true, type: ['inet_service'], data: ['ipv4_addr'] } })).toBe('m t 0\n\telement 00005000  : 0 [end]\n');
  });

  it('an element comment as userdata', () => {
    expect(debug('add element ip t s { 1.2.3.4 comment "a b" }', { set: { map: false, type: ['ipv4_addr'] } })).toBe('s t 0\n\telement 04030201  : 0 [end]  userdata = { \\x00\\x04a b\\x00 }\n');
  });

  it('a verdict map rule', () => {
    expect(debug('add rule ip t filt tcp dport vmap { 22 : accept, 23 : drop, 24 : jump pre }')).toBe(
      '__map%d t b size 3\n__map%d t 0\n\telement 00001600  : accept 0 [end]\telement 00001700  : drop 0 [end]\telement 00001800  : jump -> pre 0 [end]\n'
      + 'ip t filt\n  [ meta load l4proto => reg 1 ]\n  [ cmp eq reg 1 0x00000006 ]\n  [ payload load 2b @ transport header + 2 => reg 1 ]\n  [ lookup reg 1 set __map%d dreg 0 ]\n\n',
    );
  });

  it('a rule with a comment (userdata instead of the blank line) and a position', () => {
    expect(debug('add rule ip t filt tcp dport 22 counter accept comment "hi"')).toBe(
      'ip t filt\n  [ meta load l4proto => reg 1 ]\n  [ cmp eq reg 1 0x00000006 ]\n  [ payload load 2b @ transport header + 2 => reg 1 ]\n'
      + '  [ cmp eq reg 1 0x00001600 ]\n  [ counter pkts 0 bytes 0 ]\n  [ immediate reg 0 accept ]\n  userdata = { \\x00\\x03hi\\x00 }\n',
    );
    expect(debug('add rule ip t c position 2 drop')).toBe('ip t c 2\n  [ immediate reg 0 drop ]\n\n');
  });

  it('a file: the chain, then the rule', () => {
    expect(debug('table ip f {\n chain c {\n type filter hook input priority 0; \n tcp dport 22 accept\n }\n}\n', { file: true })).toBe(
      'ip (null) (null) use 0 type filter hook input prio 0 packets 0 bytes 0\nip f c\n  [ meta load l4proto => reg 1 ]\n  [ cmp eq reg 1 0x00000006 ]\n'
      + '  [ payload load 2b @ transport header + 2 => reg 1 ]\n  [ cmp eq reg 1 0x00001600 ]\n  [ immediate reg 0 accept ]\n\n',
    );
  });
});
