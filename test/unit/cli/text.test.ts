import { describe, expect, it } from 'vitest';
import { ipJsonText, JsonNumber } from '../../../src/cli/ip/json.js';
import { flagText } from '../../../src/cli/message-text.js';
import { hexRows, treeLines } from '../../../src/cli/tree.js';
import { splitWords } from '../../../src/cli/words.js';
import { UsageError } from '../../../src/cli/usage-error.js';

describe('splitting command lines', () => {
  it('quotes, escapes and comments', () => {
    expect(splitWords('ip link set veth0 alias "my link" # comment')).toEqual(['ip', 'link', 'set', 'veth0', 'alias', 'my link']);
    expect(splitWords("  a 'b c'  d\\ e ")).toEqual(['a', 'b c', 'd e']);
    expect(splitWords('# only a comment')).toEqual([]);
    expect(splitWords('alias ""')).toEqual(['alias', '']);
    expect(splitWords('a#b')).toEqual(['a#b']);
    expect(() => splitWords('alias "open')).toThrow(UsageError);
  });
});

describe('trees and flags for people', () => {
  it('flags are named by message kind', () => {
    expect(flagText(16, 'RTM_NEWLINK', 0x605)).toBe('REQUEST|ACK|EXCL|CREATE');
    expect(flagText(18, 'RTM_GETLINK', 0x301)).toBe('REQUEST|DUMP');
    expect(flagText(17, 'RTM_DELLINK', 0x105)).toBe('REQUEST|ACK|NONREC');
    expect(flagText(2, 'NLMSG_ERROR', 0x300)).toBe('CAPPED|ACK_TLVS');
    expect(flagText(16, 'RTM_NEWLINK', 0x2)).toBe('MULTI');
    expect(flagText(16, 'RTM_NEWLINK', 0x8000)).toBe('0x8000');
    expect(flagText(16, 'RTM_NEWLINK', 0)).toBe('0');
  });

  it('nested values indent; flat records stay on one line; names are escaped', () => {
    const lines = treeLines({ header: { family: 0, index: 3 }, attributes: { ifname: 'ev\x1bil', linkinfo: { kind: 'veth', data: { peer: { ifname: 'v1', mtu: 1400, stats: { rx: 1n, tx: 2n, errors: 0n } } } }, raw: new Uint8Array([1, 2]) } });
    expect(lines).toEqual([
      'header: { family: 0, index: 3 }',
      'attributes:',
      '  ifname: "ev\\x1bil"',
      '  linkinfo:',
      '    kind: "veth"',
      '    data:',
      '      peer:',
      '        ifname: "v1"',
      '        mtu: 1400',
      '        stats: { rx: 1, tx: 2, errors: 0 }',
      '  raw: <0102>',
    ]);
  });

  it('hex rows with offsets and ASCII', () => {
    expect(hexRows(new Uint8Array([0x6c, 0x6f, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0x41]))).toEqual([
      '0000  6c 6f 00 01 02 03 04 05  06 07 08 09 0a 0b 0c 0d  |lo..............|',
      '0010  41                                                |A|',
    ]);
  });
});

describe('JSON as ip -j prints it', () => {
  const value = [{ ifindex: 1, flags: ['UP', 'LOWER_UP'], empty: [], addr_info: [{ family: 'inet', big: 2n ** 64n - 1n }], gone: undefined }];
  it('compact', () => {
    expect(ipJsonText(value, false)).toBe('[{"ifindex":1,"flags":["UP","LOWER_UP"],"empty":[],"addr_info":[{"family":"inet","big":18446744073709551615}]}]');
  });
  it('numbers ip prints with fixed decimals stay as written', () => {
    expect(ipJsonText({ gc_timer: new JsonNumber('299.75'), hello_timer: new JsonNumber('0.00') }, false)).toBe('{"gc_timer":299.75,"hello_timer":0.00}');
  });
  it('pretty, in iproute2 layout', () => {
    expect(ipJsonText(value, true)).toBe(
      ['[ {', '        "ifindex": 1,', '        "flags": [ "UP","LOWER_UP" ],', '        "empty": [ ],', '        "addr_info": [ {', '                "family": "inet",', '                "big": 18446744073709551615', '            } ]', '    } ]'].join('\n'),
    );
  });
});
