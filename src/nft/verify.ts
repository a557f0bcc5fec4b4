/**
 * Deciding whether a batch was applied when its replies were lost (the receive buffer overran:
 * ENOBUFS). nf_tables batches are atomic, so it is enough to re-read the ruleset and check the
 * batch's net effect: every object it adds is there, every object it deletes is gone, every
 * rule it adds is in its chain (matched by expression names and userdata, counted), every
 * element it adds is in its set. The generation id settles the rest: if it has not moved since
 * before the batch, nothing was applied; if it moved by exactly one and the effect is missing,
 * the batch was not applied; if it moved by more, another writer may have changed the same
 * objects since, and the outcome stays unknown rather than guessed.
 */
import type { Connection, RequestOptions } from '../netlink/connection.js';
import { Writer } from '../netlink/writer.js';
import type { NftCommand } from './command.js';
import type { NfFamily } from './nfgenmsg.js';
import { listRuleset, readGeneration, type Ruleset, type RulesetRule } from './reader.js';
import { ruleUdata, type UdataEntry } from './udata.js';

export type Verification =
  | { verdict: 'applied'; generation: number }
  | { verdict: 'not-applied'; generation: number; reason: string }
  | { verdict: 'unknown'; generation: number; reason: string };

type Check =
  | { kind: 'table' | 'chain' | 'set' | 'object' | 'flowtable'; family: NfFamily; table: string; name?: string; handle?: bigint; present: boolean; flags?: readonly (string | number)[] }
  | { kind: 'rules'; family: NfFamily; table: string; chain: string; signature: string; count: number }
  | { kind: 'rule-absent'; family: NfFamily; table: string; handle: bigint }
  | { kind: 'empty'; family: NfFamily; table: string; chain?: string }
  | { kind: 'element'; family: NfFamily; table: string; set: string; key: string; present: boolean };

function hex(b: Uint8Array | undefined): string {
  return b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex') : '';
}

function expressionName(e: unknown): string {
  const x = e as { type?: string; name?: string };
  return x.type === 'opaque' || x.type === undefined ? String(x.name) : x.type;
}

/** What identifies a rule across the add request and the kernel's dump. */
export function ruleSignature(rule: { expressions?: readonly unknown[]; userdata?: UdataEntry[] }): string {
  const w = new Writer();
  if (rule.userdata) ruleUdata.encode(w, rule.userdata as never, 'userdata');
  return `${(rule.expressions ?? []).map(expressionName).join(',')}|${hex(w.finish())}`;
}

/** Whether a check concerns something inside table `t` (so deleting or flushing `t` voids it). */
const inside = (c: Check, family: NfFamily, table: string, chain?: string): boolean =>
  c.family === family && c.table === table && (chain === undefined || ('chain' in c && c.chain === chain) || (c.kind === 'chain' && c.name === chain));

/** The checks a batch implies, with later commands overriding earlier ones. */
function checksOf(commands: readonly NftCommand[]): Check[] | string {
  let checks: Check[] = [];
  for (const cmd of commands) {
    const f = cmd.family;
    const a = cmd.attributes as Record<string, any>;
    const named = (kind: Check['kind'] & ('table' | 'chain' | 'set' | 'object' | 'flowtable'), table: string, present: boolean, flags?: readonly (string | number)[]): void => {
      const same = (c: Check) => c.kind === kind && c.family === f && c.table === table && ('name' in c ? c.name === a.name && c.handle === a.handle : false);
      checks = checks.filter((c) => !same(c));
      checks.push({ kind, family: f, table, present, ...(a.name !== undefined ? { name: a.name } : {}), ...(a.handle !== undefined ? { handle: a.handle } : {}), ...(flags ? { flags } : {}) });
    };
    switch (cmd.type) {
      case 'NFT_MSG_NEWTABLE': named('table', a.name, true, a.flags); break;
      case 'NFT_MSG_DELTABLE': case 'NFT_MSG_DESTROYTABLE':
        if (a.name === undefined) return 'a table deleted by handle';
        checks = checks.filter((c) => !inside(c, f, a.name));
        named('table', a.name, false);
        break;
      case 'NFT_MSG_NEWCHAIN': named('chain', a.table, true); break;
      case 'NFT_MSG_DELCHAIN': case 'NFT_MSG_DESTROYCHAIN':
        if (a.name === undefined) return 'a chain deleted by handle';
        checks = checks.filter((c) => !inside(c, f, a.table, a.name));
        named('chain', a.table, false);
        break;
      case 'NFT_MSG_NEWSET':
        if (String(a.name).includes('%d')) break; // anonymous: the kernel picks the name
        named('set', a.table, true);
        break;
      case 'NFT_MSG_DELSET': case 'NFT_MSG_DESTROYSET':
        checks = checks.filter((c) => !(c.kind === 'element' && c.family === f && c.table === a.table && c.set === a.name));
        named('set', a.table, false);
        break;
      case 'NFT_MSG_NEWOBJ': named('object', a.table, true); break;
      case 'NFT_MSG_DELOBJ': case 'NFT_MSG_DESTROYOBJ': named('object', a.table, false); break;
      case 'NFT_MSG_NEWFLOWTABLE': named('flowtable', a.table, true); break;
      case 'NFT_MSG_DELFLOWTABLE': case 'NFT_MSG_DESTROYFLOWTABLE': named('flowtable', a.table, false); break;
      case 'NFT_MSG_NEWRULE': {
        if (a.chain === undefined) return 'a rule added by chain id';
        // A replaced rule keeps its handle and takes the new content: counted like an added one.
        const signature = ruleSignature(a);
        const existing = checks.find((c): c is Extract<Check, { kind: 'rules' }> => c.kind === 'rules' && c.family === f && c.table === a.table && c.chain === a.chain && c.signature === signature);
        if (existing) existing.count++;
        else checks.push({ kind: 'rules', family: f, table: a.table, chain: a.chain, signature, count: 1 });
        break;
      }
      case 'NFT_MSG_DELRULE': case 'NFT_MSG_DESTROYRULE':
        if (a.handle !== undefined) checks.push({ kind: 'rule-absent', family: f, table: a.table, handle: a.handle });
        else {
          checks = checks.filter((c) => !(c.kind === 'rules' || c.kind === 'empty') || !inside(c, f, a.table, a.chain));
          checks.push({ kind: 'empty', family: f, table: a.table, ...(a.chain !== undefined ? { chain: a.chain } : {}) });
        }
        break;
      case 'NFT_MSG_NEWSETELEM': case 'NFT_MSG_DELSETELEM': case 'NFT_MSG_DESTROYSETELEM': {
        if (a.setId !== undefined && String(a.set).includes('%d')) break;
        const present = cmd.type === 'NFT_MSG_NEWSETELEM';
        if (a.elements === undefined) return 'a flushed set';
        for (const e of a.elements as { key?: { value?: Uint8Array } }[]) {
          const key = hex(e.key?.value);
          checks = checks.filter((c) => !(c.kind === 'element' && c.family === f && c.table === a.table && c.set === a.set && c.key === key));
          checks.push({ kind: 'element', family: f, table: a.table, set: a.set, key, present });
        }
        break;
      }
    }
  }
  return checks;
}

function failedCheck(checks: readonly Check[], r: Ruleset): string | undefined {
  const rulesIn = (family: NfFamily, table: string, chain?: string): RulesetRule[] => r.rules.filter((x) => x.family === family && x.table === table && (chain === undefined || x.chain === chain));
  // Rules by chain and signature, counted once (a batch may add thousands of rules).
  const counts = new Map<string, number>();
  const slot = (family: NfFamily, table: string | undefined, chain: string | undefined, signature: string) => `${family}\0${table}\0${chain}\0${signature}`;
  if (checks.some((c) => c.kind === 'rules')) {
    for (const x of r.rules) {
      const k = slot(x.family, x.table, x.chain, ruleSignature(x));
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  for (const c of checks) {
    switch (c.kind) {
      case 'table': case 'chain': case 'set': case 'object': case 'flowtable': {
        const list: { family: NfFamily; name?: string; table?: string; handle?: bigint; flags?: unknown }[] =
          c.kind === 'table' ? r.tables : c.kind === 'chain' ? r.chains : c.kind === 'set' ? r.sets : c.kind === 'object' ? r.objects : r.flowtables;
        const found = list.find((x) => x.family === c.family && (c.kind === 'table' ? x.name === c.table : x.table === c.table && (c.name === undefined || x.name === c.name) && (c.handle === undefined || x.handle === c.handle)));
        if (!!found !== c.present) return `${c.kind} ${c.family} ${c.table}${c.kind === 'table' ? '' : ` ${c.name ?? c.handle}`} is ${found ? 'present' : 'missing'}`;
        const flags = (found?.flags ?? []) as (string | number)[];
        if (found && c.flags && !c.flags.every((fl) => flags.includes(fl))) return `table ${c.family} ${c.table} lacks flags ${c.flags.join(',')}`;
        break;
      }
      case 'rules': {
        const n = counts.get(slot(c.family, c.table, c.chain, c.signature)) ?? 0;
        if (n < c.count) return `chain ${c.family} ${c.table} ${c.chain} has ${n} of the ${c.count} rules added`;
        break;
      }
      case 'rule-absent':
        if (rulesIn(c.family, c.table).some((x) => x.handle === c.handle)) return `rule handle ${c.handle} in ${c.family} ${c.table} is still there`;
        break;
      case 'empty':
        if (rulesIn(c.family, c.table, c.chain).length > 0) return `${c.chain === undefined ? 'table' : 'chain'} ${c.family} ${c.table} ${c.chain ?? ''} was not flushed`.trim();
        break;
      case 'element': {
        const set = r.sets.find((s) => s.family === c.family && s.table === c.table && s.name === c.set);
        const found = !!set?.elements?.some((e) => hex(e.key?.value) === c.key);
        if (found !== c.present) return `element ${c.key} of set ${c.family} ${c.table} ${c.set} is ${found ? 'present' : 'missing'}`;
        break;
      }
    }
  }
  return undefined;
}

/**
 * Re-read the ruleset and decide whether `commands` were applied. `before` is the generation
 * read just before the batch was sent (or the batch's NFNL_BATCH_GENID).
 */
export async function verifyBatch(conn: Connection, commands: readonly NftCommand[], before: number | undefined, options: RequestOptions = {}): Promise<Verification> {
  const now = await readGeneration(conn, options);
  if (before !== undefined && now === before) return { verdict: 'not-applied', generation: now, reason: `the generation is still ${before}: nothing was committed` };
  const checks = checksOf(commands);
  if (typeof checks === 'string') return { verdict: 'unknown', generation: now, reason: `cannot check ${checks} by re-reading` };
  const elements = checks.some((c) => c.kind === 'element');
  const ruleset = await listRuleset(conn, { ...options, elements });
  const failed = failedCheck(checks, ruleset);
  if (failed === undefined) return { verdict: 'applied', generation: ruleset.generation };
  if (before !== undefined && ruleset.generation === before + 1) return { verdict: 'not-applied', generation: ruleset.generation, reason: failed };
  return { verdict: 'unknown', generation: ruleset.generation, reason: `${failed}, and other writers committed meanwhile (generation ${before ?? '?'} → ${ruleset.generation})` };
}
