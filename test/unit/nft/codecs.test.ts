/**
 * The nf_tables object codecs: userdata TLVs as nft writes them, nfgenmsg framing, object data
 * typed by the sibling type (opaque when not modelled), list items whose attribute types are
 * kept, and a codec for every NFT_MSG_* type.
 */
import { describe, expect, it } from 'vitest';
import { decodeRawAttributes } from '../../../src/netlink/raw-attributes.js';
import { Writer } from '../../../src/netlink/writer.js';
import { NfnlMsg, NfnlSubsys, NftMsg } from '../../../src/nft/constants.js';
import { hookName, hookNumber, priorityNumber } from '../../../src/nft/hooks.js';
import { familyName, messageOf, nftMessageType, subsystemOf } from '../../../src/nft/nfgenmsg.js';
import { objectAttributes } from '../../../src/nft/object.js';
import { netfilterMessageCodec, netfilterProtocol } from '../../../src/nft/protocol.js';
import { setElementMessageAttributes } from '../../../src/nft/set-element.js';
import { commentOf, ruleUdata, setUdata } from '../../../src/nft/udata.js';
import { fromHex, hex, rows } from '../../helpers/hex.js';

function encode<T>(codec: { encode(w: Writer, v: T, p: string): void }, value: T): Uint8Array {
  const w = new Writer();
  codec.encode(w, value, '');
  return w.finish().slice();
}

describe('userdata TLVs', () => {
  it('a rule comment is TLV 0 with the text and its NUL (nft: `\\x00\\x03hi\\x00`)', () => {
    expect(hex(encode(ruleUdata, [{ type: 'comment', value: 'hi' }]))).toBe('00036869' + '00');
    expect(ruleUdata.decode(fromHex('0003686900'), 0, '')).toEqual([{ type: 'comment', value: 'hi' }]);
    expect(commentOf([{ type: 'comment', value: 'hi' }])).toBe('hi');
  });

  it('set userdata: host-order u32 byte orders, nested typeof kept as bytes', () => {
    const bytes = fromHex('00040200000007046' + '36d7400' + '030800040d0000000100');
    const decoded = setUdata.decode(bytes, 0, '');
    expect(decoded[0]).toEqual({ type: 'key-byteorder', value: 2 });
    expect(decoded[1]).toEqual({ type: 'comment', value: 'cmt' });
    expect(decoded[2]).toEqual({ type: 'key-typeof', value: fromHex('00040d0000000100') });
    expect(hex(encode(setUdata, decoded))).toBe(hex(bytes));
  });

  it('keeps what is not what nft writes: unknown types, text without NUL, a cut tail', () => {
    const bytes = fromHex('2a0201020003414243' + '00');
    const decoded = ruleUdata.decode(bytes, 0, '');
    expect(decoded).toEqual([{ type: 42, value: Uint8Array.of(1, 2) }, { type: 'comment', value: Uint8Array.of(0x41, 0x42, 0x43) }, { raw: Uint8Array.of(0) }]);
    expect(hex(encode(ruleUdata, decoded))).toBe(hex(bytes));
  });

  it('refuses entries that do not fit a TLV', () => {
    expect(ruleUdata.validate!([{ type: 'comment', value: 'x'.repeat(300) }])).toMatch(/TLV limit/);
    expect(ruleUdata.validate!([{ type: 'nope' as never, value: 'x' }])).toMatch(/not a udata type/);
  });
});

describe('nfgenmsg and message types', () => {
  it('splits types into subsystem and message', () => {
    const t = nftMessageType(NftMsg.NFT_MSG_NEWRULE);
    expect(t).toBe(0x0a06);
    expect(subsystemOf(t)).toBe(NfnlSubsys.NFNL_SUBSYS_NFTABLES);
    expect(messageOf(t)).toBe(NftMsg.NFT_MSG_NEWRULE);
  });

  it('names families the way nft does and keeps unknown numbers', () => {
    expect([2, 10, 1, 3, 7, 5, 0].map(familyName)).toEqual(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev', 'unspec']);
    expect(familyName(42)).toBe(42);
  });

  it('has a codec for every NFT_MSG_* and both batch delimiters, none for other subsystems', () => {
    for (const [name, n] of Object.entries(NftMsg)) expect(netfilterMessageCodec(nftMessageType(n))?.name, name).toBe(name);
    expect(netfilterMessageCodec(NfnlMsg.NFNL_MSG_BATCH_BEGIN)?.name).toBe('NFNL_MSG_BATCH_BEGIN');
    expect(netfilterMessageCodec(NfnlMsg.NFNL_MSG_BATCH_END)?.name).toBe('NFNL_MSG_BATCH_END');
    expect(netfilterMessageCodec(0x0100)).toBeUndefined(); // ctnetlink
    expect(netfilterProtocol).toMatchObject({ name: 'netfilter', protocol: 12 });
  });

  it('a message body too short for nfgenmsg is a DecodeError', () => {
    expect(() => netfilterMessageCodec(0x0a00)!.decode(Uint8Array.of(2, 0), 0, 16)).toThrow(/nfgenmsg/);
  });
});

describe('objects: data typed by the object type', () => {
  it('a counter decodes its data as a counter and encodes back', () => {
    const value = { table: 't', name: 'c', type: 'counter' as const, data: { bytes: 5n, packets: 1n } };
    const bytes = encode(objectAttributes, value);
    expect(objectAttributes.decode(bytes, 0, '')).toEqual(value);
  });

  it('an unmodelled type (tunnel) keeps its data as raw attributes, byte-exact', () => {
    const data = fromHex('0800010000000001' + '0c0002800800010001020304');
    const w = new Writer();
    w.attribute(1, {}, 'table', (x) => x.bytes(Uint8Array.of(0x74, 0)));
    w.attribute(3, {}, 'type', (x) => x.u32(6, true));
    w.attribute(4, { nested: true }, 'data', (x) => x.bytes(data));
    const bytes = w.finish().slice();
    const decoded = objectAttributes.decode(bytes, 0, '');
    expect(decoded.type).toBe('tunnel');
    expect(Array.isArray(decoded.data)).toBe(true);
    expect(rows(encode(objectAttributes, decoded))).toBe(rows(bytes));
  });

  it('the type may come after the data', () => {
    const w = new Writer();
    w.attribute(4, { nested: true }, 'data', (x) => x.attribute(1, {}, 'count', (y) => y.u32(3, true)));
    w.attribute(3, {}, 'type', (x) => x.u32(5, true));
    const bytes = w.finish().slice();
    expect(objectAttributes.decode(bytes, 0, '')).toEqual({ data: { count: 3 }, type: 'connlimit' });
    expect(hex(encode(objectAttributes, objectAttributes.decode(bytes, 0, '')))).toBe(hex(bytes));
  });
});

describe('element lists', () => {
  it('keep libnftnl\'s item numbering on decode → encode, and write NFTA_LIST_ELEM for new values', () => {
    const w = new Writer();
    w.attribute(3, { nested: true }, 'elements', (x) => {
      for (let i = 1; i <= 3; i++) x.attribute(i, { nested: true }, 'e', (y) => y.attribute(1, { nested: true }, 'key', (z) => z.attribute(1, {}, 'value', (v) => v.u32(i, true))));
    });
    const bytes = w.finish().slice();
    const decoded = setElementMessageAttributes.decode(bytes, 0, '');
    expect(decoded.elements).toHaveLength(3);
    expect(hex(encode(setElementMessageAttributes, decoded))).toBe(hex(bytes));
    const fresh = encode(setElementMessageAttributes, { elements: decoded.elements!.map((e) => ({ ...e })) .slice() });
    const items = decodeRawAttributes(decodeRawAttributes(fresh)[0]!.value);
    expect(items.map((i) => i.type)).toEqual([1, 1, 1]);
  });
});

describe('hooks and priorities', () => {
  it('resolve per family', () => {
    expect(hookNumber('ip', 'postrouting')).toBe(4);
    expect(hookNumber('netdev', 'ingress')).toBe(0);
    expect(hookNumber('inet', 'ingress')).toBe(5);
    expect(hookNumber('arp', 'output')).toBe(1);
    expect(hookName('netdev', 1)).toBe('egress');
    expect(hookName('ip', 9)).toBe(9);
    expect(priorityNumber('ip', 'dstnat')).toBe(-100);
    expect(priorityNumber('bridge', 'dstnat')).toBe(-300);
  });
});
