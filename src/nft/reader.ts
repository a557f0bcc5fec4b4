/**
 * Listing the whole ruleset as one consistent snapshot. Each object kind is a separate dump,
 * so a writer could commit between two of them; the generation id is read before and after,
 * and the listing is repeated (a bounded number of times) until both agree. Within one dump
 * the kernel flags interruptions itself (NLM_F_DUMP_INTR), which the connection retries.
 */
import type { Connection, RequestOptions } from '../netlink/connection.js';
import { NLMSG_HDRLEN } from '../netlink/constants.js';
import { NetnsError } from '../netlink/errors.js';
import type { AttributeSet, AttributeSpecs } from '../netlink/attribute-set.js';
import { dumpDecoded } from '../netlink/dump-decoded.js';
import type { FieldCodec } from '../netlink/field.js';
import type { NetlinkMessage } from '../netlink/message.js';
import { bodyWriter, outgoingOf } from '../netlink/message.js';
import type { ChainAttributes } from './chain.js';
import { chainAttributes } from './chain.js';
import { NftMsg, type TableFamily } from './constants.js';
import type { FlowtableAttributes } from './flowtable.js';
import { flowtableAttributes } from './flowtable.js';
import { genAttributes } from './gen.js';
import { familyName, nfgenmsg, nftMessageType, writeNfgenmsg, type NfFamily } from './nfgenmsg.js';
import { objectAttributes, type NftObject } from './object.js';
import { netfilterTypeName } from './protocol.js';
import { ruleAttributes, type RuleAttributes } from './rule.js';
import { setElementMessageAttributes, type SetElementAttributes } from './set-element.js';
import { setAttributes, type SetAttributes } from './set.js';
import { tableAttributes, type TableAttributes } from './table.js';

export type WithFamily<A> = A & { family: NfFamily };
export type RulesetTable = WithFamily<TableAttributes>;
export type RulesetChain = WithFamily<ChainAttributes>;
export type RulesetRule = WithFamily<RuleAttributes>;
export type RulesetSet = WithFamily<SetAttributes> & { elements?: SetElementAttributes[] };
export type RulesetObject = WithFamily<NftObject>;
export type RulesetFlowtable = WithFamily<FlowtableAttributes>;

/** Everything in nf_tables at one generation, in the kernel's order (as `nft list ruleset`). */
export interface Ruleset {
  /** The generation id all the lists belong to. */
  generation: number;
  tables: RulesetTable[];
  chains: RulesetChain[];
  rules: RulesetRule[];
  sets: RulesetSet[];
  objects: RulesetObject[];
  flowtables: RulesetFlowtable[];
}

export interface ListOptions extends RequestOptions {
  /** Only this family (default: all). */
  family?: TableFamily;
  /** Only tables of this name (of every family unless `family` is given). */
  table?: string;
  /** Also dump every set's elements (default true). */
  elements?: boolean;
  /** How many times to list again when the generation moved meanwhile (default 5). */
  attempts?: number;
}

/** The ruleset kept changing while it was listed, `attempts` times in a row. */
export class RulesetChangedError extends NetnsError {
  override name = 'RulesetChangedError';
  readonly attempts: number;
  constructor(attempts: number) {
    super(`the nf_tables ruleset changed during each of ${attempts} listings (generation moved between the first and last dump)`);
    this.attempts = attempts;
  }
}

const DEFAULT_ATTEMPTS = 5;
/** A GET request is an nfgenmsg and at most a couple of names. */
const REQUEST_BYTES = 64;

function request(msg: number, family: NfFamily, attributes?: { codec: FieldCodec<any>; value: object }) {
  const w = bodyWriter(REQUEST_BYTES);
  writeNfgenmsg(w, family);
  attributes?.codec.encode(w, attributes.value, '');
  const type = nftMessageType(msg);
  return outgoingOf(w, type, 0, netfilterTypeName(type) ?? 'nf_tables');
}

function decodeAll<A>(messages: NetlinkMessage[], expected: number, codec: FieldCodec<A>): WithFamily<A>[] {
  const type = nftMessageType(expected);
  const out: WithFamily<A>[] = [];
  for (const m of messages) {
    if (m.type !== type) continue;
    const at = m.offset + NLMSG_HDRLEN + nfgenmsg.size;
    const family = familyName(m.payload[0] ?? 0);
    const a = codec.decode(m.payload.subarray(nfgenmsg.size), at, '') as WithFamily<A>;
    // `family` rides along on the decoded attributes (the attribute layout stays intact).
    a.family = family;
    out.push(a);
  }
  return out;
}

/** The current ruleset generation (NFT_MSG_GETGEN). */
export async function readGeneration(conn: Connection, options: RequestOptions = {}): Promise<number> {
  const replies = await conn.request(request(NftMsg.NFT_MSG_GETGEN, 'unspec'), options);
  const gen = decodeAll(replies, NftMsg.NFT_MSG_NEWGEN, genAttributes)[0];
  if (gen?.id === undefined) throw new NetnsError('NFT_MSG_GETGEN: the kernel answered without a generation id');
  return gen.id;
}

/**
 * One reply's attributes (after its nfgenmsg) with its family: read where they lie in their
 * datagram when the codec is an attribute set, else from a view of them.
 */
function decodeReply<A>(codec: FieldCodec<A>, bytes: Uint8Array, start: number, end: number): WithFamily<A> {
  const at = start + nfgenmsg.size;
  const set = codec as Partial<AttributeSet<AttributeSpecs>>;
  const a = (set.decodeAt ? set.decodeAt(bytes, at, end, at, '') : codec.decode(bytes.subarray(at, end), at, '')) as WithFamily<A>;
  // `family` rides along on the decoded attributes (the attribute layout stays intact).
  a.family = familyName(bytes[start] ?? 0);
  return a;
}

/**
 * A dump of one kind of object, each reply decoded once the dump has ended (dump-decoded.ts);
 * `names` (table, chain, set) ask the kernel to dump only theirs.
 */
async function dumpKind<A>(conn: Connection, getMsg: number, newMsg: number, codec: FieldCodec<A>, family: NfFamily, names: Record<string, string> | undefined, options: RequestOptions): Promise<WithFamily<A>[]> {
  const attributes = names ? { codec, value: names } : undefined;
  return dumpDecoded(conn, request(getMsg, family, attributes), options, nftMessageType(newMsg), (bytes, start, end) => decodeReply(codec, bytes, start, end));
}

/** The elements of one set (NFT_MSG_GETSETELEM dump). */
export async function listElements(conn: Connection, set: { family: NfFamily; table: string; name: string }, options: RequestOptions = {}): Promise<SetElementAttributes[]> {
  const replies = await dumpKind(conn, NftMsg.NFT_MSG_GETSETELEM, NftMsg.NFT_MSG_NEWSETELEM, setElementMessageAttributes, set.family, { table: set.table, set: set.name }, options);
  const out: SetElementAttributes[] = [];
  for (const m of replies) out.push(...(m.elements ?? []));
  return out;
}

/** The tables alone (one NFT_MSG_GETTABLE dump, as `nft list tables` reads them), of one family or all. */
export async function listTables(conn: Connection, options: RequestOptions & Pick<ListOptions, 'family'> = {}): Promise<RulesetTable[]> {
  return dumpKind(conn, NftMsg.NFT_MSG_GETTABLE, NftMsg.NFT_MSG_NEWTABLE, tableAttributes, options.family ?? 'unspec', undefined, options);
}

export interface ListRulesOptions extends RequestOptions, Pick<ListOptions, 'family' | 'table'> {
  /** Only chains of this name. */
  chain?: string;
}

/**
 * The names a dump may ask the kernel to filter by. A rule dump filtered by table stops after
 * the first table of that name (nf_tables_dump_rules `break`s there; test/kernel/nft/
 * list-rules.test.ts saw it miss the inet namesake of an ip table), so without a family
 * nothing is asked and everything is filtered here. A chain is honoured only within a named
 * table.
 */
function kernelFilter(options: { family?: TableFamily; table?: string; chain?: string }): Record<string, string> | undefined {
  const { family, table, chain } = options;
  if (family === undefined || table === undefined) return undefined;
  return chain === undefined ? { table } : { table, chain };
}

/**
 * The rules alone (one NFT_MSG_GETRULE dump, as `nft list chain` reads them), filtered by the
 * kernel where it can (kernelFilter) and here. Unlike listRuleset: no other objects, no
 * generation check.
 */
export async function listRules(conn: Connection, options: ListRulesOptions = {}): Promise<RulesetRule[]> {
  const { table, chain } = options;
  const names = kernelFilter(options);
  const rules = await dumpKind(conn, NftMsg.NFT_MSG_GETRULE, NftMsg.NFT_MSG_NEWRULE, ruleAttributes, options.family ?? 'unspec', names, options);
  if (table === undefined && chain === undefined) return rules;
  return rules.filter((r) => (table === undefined || r.table === table) && (chain === undefined || r.chain === chain));
}

async function listOnce(conn: Connection, options: ListOptions): Promise<Omit<Ruleset, 'generation'>> {
  const family = options.family ?? 'unspec';
  const inTable = kernelFilter(options);
  const tables = await dumpKind(conn, NftMsg.NFT_MSG_GETTABLE, NftMsg.NFT_MSG_NEWTABLE, tableAttributes, family, undefined, options);
  const chains = await dumpKind(conn, NftMsg.NFT_MSG_GETCHAIN, NftMsg.NFT_MSG_NEWCHAIN, chainAttributes, family, inTable, options);
  const rules = await dumpKind(conn, NftMsg.NFT_MSG_GETRULE, NftMsg.NFT_MSG_NEWRULE, ruleAttributes, family, inTable, options);
  const sets: RulesetSet[] = await dumpKind(conn, NftMsg.NFT_MSG_GETSET, NftMsg.NFT_MSG_NEWSET, setAttributes, family, inTable, options);
  const objects = await dumpKind(conn, NftMsg.NFT_MSG_GETOBJ, NftMsg.NFT_MSG_NEWOBJ, objectAttributes, family, inTable, options);
  const flowtables = await dumpKind(conn, NftMsg.NFT_MSG_GETFLOWTABLE, NftMsg.NFT_MSG_NEWFLOWTABLE, flowtableAttributes, family, inTable, options);
  if (options.table !== undefined) {
    // Not every dump honours a table filter on every kernel: keep only the named table.
    const name = options.table;
    const inTable = <T extends { table?: string }>(list: T[]): T[] => list.filter((x) => x.table === name);
    return finish(conn, options, {
      tables: tables.filter((t) => t.name === name),
      chains: inTable(chains),
      rules: inTable(rules),
      sets: inTable(sets),
      objects: inTable(objects),
      flowtables: inTable(flowtables),
    });
  }
  return finish(conn, options, { tables, chains, rules, sets, objects, flowtables });
}

async function finish(conn: Connection, options: ListOptions, lists: Omit<Ruleset, 'generation'>): Promise<Omit<Ruleset, 'generation'>> {
  if (options.elements ?? true) {
    for (const s of lists.sets) {
      if (s.table !== undefined && s.name !== undefined) s.elements = await listElements(conn, { family: s.family, table: s.table, name: s.name }, options);
    }
  }
  return lists;
}

/**
 * List tables, chains, rules, sets (with their elements), objects and flowtables as one
 * consistent snapshot. @throws RulesetChangedError when every attempt saw the generation move.
 */
export async function listRuleset(conn: Connection, options: ListOptions = {}): Promise<Ruleset> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const before = await readGeneration(conn, options);
    const lists = await listOnce(conn, options);
    const after = await readGeneration(conn, options);
    if (before === after) return { generation: before, ...lists };
  }
  throw new RulesetChangedError(attempts);
}
