/**
 * The same expressions as the kernel itself encodes them (fixtures/netfilter/expr-kernel-dump.json:
 * the NFT_MSG_NEWRULE replies of a GETRULE dump). The kernel's form differs from nft's —
 * nests without NLA_F_NESTED, NFTA_LOOKUP_FLAGS always present, strings with their NUL, no
 * NFTA_EXPR_DATA for notrack — and must decode to the same descriptions, render to what nft
 * lists, and encode back byte for byte.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDatagram } from '../../../src/netlink/message.js';
import { decodeRawAttributes, type RawAttribute } from '../../../src/netlink/raw-attributes.js';
import { Writer } from '../../../src/netlink/writer.js';
import { dataCodec, describeExpression, expressionListCodec } from '../../../src/nft/expressions/index.js';
import { renderRule, type RenderSet } from '../../../src/nft/render/index.js';
import { fromHex, rows } from '../../helpers/hex.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'netfilter', 'expr-kernel-dump.json');
const fixture = JSON.parse(readFileSync(file, 'utf8')) as {
  datagrams: { direction: string; hex: string }[];
  rules: { chain: string; handle: number; netlinkDebug: string[]; text: string }[];
};

// <linux/netfilter/nfnetlink.h>, <linux/netfilter/nf_tables.h>
const NFT = 10 << 8;
const [NEWRULE, NEWSET, NEWSETELEM] = [NFT | 6, NFT | 9, NFT | 12];
const [NFTA_RULE_HANDLE, NFTA_RULE_EXPRESSIONS] = [3, 4];
const [NFTA_SET_NAME, NFTA_SET_FLAGS] = [2, 3];
const [NFTA_SET_ELEM_LIST_SET, NFTA_SET_ELEM_LIST_ELEMENTS] = [2, 3];
const [NFTA_SET_ELEM_KEY, NFTA_SET_ELEM_DATA, NFTA_SET_ELEM_FLAGS] = [1, 2, 3];
const NFT_SET_INTERVAL = 0x4;

const replies = fixture.datagrams.filter((d) => d.direction === 'reply').flatMap((d) => parseDatagram(fromHex(d.hex)));
const attributesOf = (type: number): RawAttribute[][] => replies.filter((m) => m.type === type).map((m) => decodeRawAttributes(m.payload.subarray(4)));
const get = (attrs: RawAttribute[], type: number): Uint8Array => attrs.find((a) => a.type === type)!.value;
const u32 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 4).getUint32(0);
const name = (b: Uint8Array): string => Buffer.from(b).toString().replace(/\0.*$/s, '');

// The sets the kernel dumped, with their elements, so anonymous sets render inline.
const sets = new Map<string, RenderSet>();
for (const attrs of attributesOf(NEWSET)) {
  sets.set(name(get(attrs, NFTA_SET_NAME)), { name: name(get(attrs, NFTA_SET_NAME)), interval: (u32(get(attrs, NFTA_SET_FLAGS)) & NFT_SET_INTERVAL) !== 0, elements: [] });
}
for (const attrs of attributesOf(NEWSETELEM)) {
  const set = sets.get(name(get(attrs, NFTA_SET_ELEM_LIST_SET)))!;
  for (const element of decodeRawAttributes(get(attrs, NFTA_SET_ELEM_LIST_ELEMENTS))) {
    const parts = decodeRawAttributes(element.value);
    const flags = parts.find((p) => p.type === NFTA_SET_ELEM_FLAGS);
    const data = parts.find((p) => p.type === NFTA_SET_ELEM_DATA);
    set.elements.push({
      key: dataCodec.decode(get(parts, NFTA_SET_ELEM_KEY), 0, 'key').value!,
      ...(flags && u32(flags.value) & 1 ? { intervalEnd: true } : {}),
      ...(data ? { data: dataCodec.decode(data.value, 0, 'data') } : {}),
    });
  }
}

const rules = attributesOf(NEWRULE).map((attrs) => ({
  handle: Number(new DataView(get(attrs, NFTA_RULE_HANDLE).buffer, get(attrs, NFTA_RULE_HANDLE).byteOffset, 8).getBigUint64(0)),
  expressions: get(attrs, NFTA_RULE_EXPRESSIONS),
}));

it('the dump holds every rule of the table', () => {
  expect(rules.map((r) => r.handle).sort((a, b) => a - b)).toEqual(fixture.rules.map((r) => r.handle).sort((a, b) => a - b));
});

for (const rule of fixture.rules) {
  describe(`rule ${rule.handle}: ${rule.text}`, () => {
    const bytes = rules.find((r) => r.handle === rule.handle)!.expressions;
    const decoded = expressionListCodec.decode(bytes, 0, 'expressions');

    it('describes each expression as nft --debug=netlink does', () => {
      expect(decoded.map(describeExpression)).toEqual(rule.netlinkDebug);
    });

    it('encodes back to the kernel bytes exactly', () => {
      const w = new Writer();
      expressionListCodec.encode(w, decoded, 'expressions');
      expect(rows(w.finish())).toBe(rows(bytes));
    });

    it('renders as nft lists it', () => {
      expect(renderRule(decoded, { family: 'ip', resolveSet: (ref) => (ref.name ? sets.get(ref.name) : undefined) })).toBe(rule.text);
    });
  });
}
