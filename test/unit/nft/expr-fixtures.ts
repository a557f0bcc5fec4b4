/**
 * The expression corpus fixtures (fixtures/netfilter/expr-*.json, captured by
 * test/kernel/nft/expr-corpus-capture.mjs): for each rule, the NFT_MSG_NEWRULE nft sent (found
 * in the captured batch), what `nft --debug=netlink` printed for it and how `nft list chain`
 * prints it. Also the anonymous sets the same batch created, for the renderer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDatagram } from '../../../src/netlink/message.js';
import { NftObjectType } from '../../../src/nft/constants.js';
import { dataCodec } from '../../../src/nft/expressions/index.js';
import type { RenderSet, RenderSetElement } from '../../../src/nft/render/index.js';
import { decodeRawAttributes, type RawAttribute } from '../../../src/netlink/raw-attributes.js';
import { fromHex } from '../../helpers/hex.js';

const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'netfilter');

// <linux/netfilter/nfnetlink.h> and <linux/netfilter/nf_tables.h>: the few numbers needed to
// find the rule and its sets in a batch.
const NFNL_SUBSYS_NFTABLES = 10;
const NFT_MSG_NEWRULE = 6;
const NFT_MSG_NEWSET = 9;
const NFT_MSG_NEWSETELEM = 12;
const NFGENMSG_LEN = 4;
const NFTA_RULE_EXPRESSIONS = 4;
const NFTA_SET_NAME = 2;
const NFTA_SET_FLAGS = 3;
const NFTA_SET_ID = 10;
const NFTA_SET_OBJ_TYPE = 15;
const NFTA_SET_ELEM_OBJREF = 9;
const NFT_SET_INTERVAL = 0x4;
const NFTA_SET_ELEM_LIST_SET = 2;
const NFTA_SET_ELEM_LIST_ELEMENTS = 3;
const NFTA_SET_ELEM_LIST_SET_ID = 4;
const NFTA_SET_ELEM_KEY = 1;
const NFTA_SET_ELEM_DATA = 2;
const NFTA_SET_ELEM_FLAGS = 3;
const NFTA_SET_ELEM_KEY_END = 10;
const NFT_SET_ELEM_INTERVAL_END = 0x1;

export interface CorpusFixture {
  name: string;
  rule: { family: 'ip' | 'ip6' | 'inet'; table: string; chain: string; text: string };
  netlinkDebug: string[];
  listing: { command: string; text: string };
  /** The commands run before the capture (`nft flush ruleset`, the table, the chain …). */
  setup: string[];
  /** NFT_MSG_NEWRULE's payload after nfgenmsg, as raw attributes. */
  ruleAttributes: RawAttribute[];
  /** The NFTA_RULE_EXPRESSIONS payload. */
  expressions: Uint8Array;
  /** The batch's messages between BATCH_BEGIN and BATCH_END, as nft sent them (payload includes nfgenmsg). */
  batch: Array<{ type: number; flags: number; payload: Uint8Array }>;
  /** NEWSET / NEWSETELEM payloads (after nfgenmsg) of the same batch. */
  sets: RawAttribute[][];
  setElements: RawAttribute[][];
}

function messagesOfType(datagram: Uint8Array, type: number): Uint8Array[] {
  return parseDatagram(datagram)
    .filter((m) => m.type === ((NFNL_SUBSYS_NFTABLES << 8) | type))
    .map((m) => m.payload.subarray(NFGENMSG_LEN));
}

export function loadCorpus(): CorpusFixture[] {
  const files = readdirSync(fixturesDir).filter((f) => f.startsWith('expr-') && f.endsWith('.json')).sort();
  const corpus = files.map((file) => ({ file, json: JSON.parse(readFileSync(join(fixturesDir, file), 'utf8')) }));
  // One rule per fixture; expr-kernel-dump.json (a whole table, as the kernel dumps it) has `rules`.
  return corpus.filter(({ json }) => json.rule !== undefined).map(({ file, json }) => {
    const requests = (json.datagrams as { direction: string; hex: string }[]).filter((d) => d.direction === 'request').map((d) => fromHex(d.hex));
    const batch = requests.find((d) => messagesOfType(d, NFT_MSG_NEWRULE).length > 0);
    if (!batch) throw new Error(`${file}: no NFT_MSG_NEWRULE in the captured requests`);
    const rules = messagesOfType(batch, NFT_MSG_NEWRULE);
    if (rules.length !== 1) throw new Error(`${file}: ${rules.length} NEWRULE messages`);
    const ruleAttributes = decodeRawAttributes(rules[0]!);
    const expressions = ruleAttributes.find((a) => a.type === NFTA_RULE_EXPRESSIONS)?.value;
    if (!expressions) throw new Error(`${file}: NEWRULE without NFTA_RULE_EXPRESSIONS`);
    return {
      name: json.name,
      rule: json.rule,
      netlinkDebug: json.netlinkDebug,
      listing: json.listing,
      setup: json.provenance.setup,
      ruleAttributes,
      expressions,
      batch: parseDatagram(batch)
        .filter((m) => m.type >> 8 === NFNL_SUBSYS_NFTABLES)
        .map((m) => ({ type: m.type, flags: m.flags, payload: m.payload.slice() })),
      sets: messagesOfType(batch, NFT_MSG_NEWSET).map((p) => decodeRawAttributes(p)),
      setElements: messagesOfType(batch, NFT_MSG_NEWSETELEM).map((p) => decodeRawAttributes(p)),
    };
  });
}

const attr = (attrs: RawAttribute[], type: number): Uint8Array | undefined => attrs.find((a) => a.type === type)?.value;
const u32 = (b: Uint8Array | undefined): number | undefined => (b ? new DataView(b.buffer, b.byteOffset, 4).getUint32(0) : undefined);
const text = (b: Uint8Array | undefined): string | undefined => (b ? Buffer.from(b).toString('utf8').replace(/\0.*$/s, '') : undefined);

/** The sets a fixture's batch created, with their elements, by name and by id (for renderRule). */
export function batchSets(fixture: CorpusFixture): (ref: { name?: string; id?: number }) => RenderSet | undefined {
  const sets = fixture.sets.map((attrs) => ({
    name: text(attr(attrs, NFTA_SET_NAME)) ?? '',
    id: u32(attr(attrs, NFTA_SET_ID)),
    interval: ((u32(attr(attrs, NFTA_SET_FLAGS)) ?? 0) & NFT_SET_INTERVAL) !== 0,
    ...(attr(attrs, NFTA_SET_OBJ_TYPE) ? { objectType: objectTypeName(u32(attr(attrs, NFTA_SET_OBJ_TYPE))!) } : {}),
    elements: [] as RenderSetElement[],
  }));
  for (const list of fixture.setElements) {
    const id = u32(attr(list, NFTA_SET_ELEM_LIST_SET_ID));
    const name = text(attr(list, NFTA_SET_ELEM_LIST_SET));
    const set = sets.find((s) => (id !== undefined ? s.id === id : s.name === name));
    if (!set) throw new Error(`${fixture.name}: elements for an unknown set`);
    for (const element of decodeRawAttributes(attr(list, NFTA_SET_ELEM_LIST_ELEMENTS) ?? new Uint8Array())) {
      const parts = decodeRawAttributes(element.value);
      const key = attr(parts, NFTA_SET_ELEM_KEY);
      const keyEnd = attr(parts, NFTA_SET_ELEM_KEY_END);
      const data = attr(parts, NFTA_SET_ELEM_DATA);
      const objref = text(attr(parts, NFTA_SET_ELEM_OBJREF));
      set.elements.push({
        key: key ? dataCodec.decode(key, 0, 'key').value! : new Uint8Array(),
        ...(keyEnd ? { keyEnd: dataCodec.decode(keyEnd, 0, 'keyEnd').value! } : {}),
        ...(((u32(attr(parts, NFTA_SET_ELEM_FLAGS)) ?? 0) & NFT_SET_ELEM_INTERVAL_END) !== 0 ? { intervalEnd: true } : {}),
        ...(data ? { data: dataCodec.decode(data, 0, 'data') } : {}),
        ...(objref !== undefined ? { objref } : {}),
      });
    }
  }
  return (ref) => sets.find((s) => (ref.id !== undefined && s.id === ref.id) || (ref.id === undefined && s.name === ref.name));
}

function objectTypeName(n: number): string {
  return Object.entries(NftObjectType).find(([, v]) => v === n)?.[0] ?? String(n);
}
