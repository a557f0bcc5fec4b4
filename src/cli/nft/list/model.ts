/**
 * The ruleset regrouped for listing: tables with their named sets, chains and rules, in the
 * kernel's order, filtered to what a `list …` command asks for; plus how a rule's anonymous
 * sets and a named set's elements are read.
 */
import type { ReadRequest } from '../../../nft/parse/compile/commands.js';
import { describeKernelSet, type SetDescription } from '../../../nft/parse/compile/set-declarations.js';
import type { Ruleset, RulesetChain, RulesetRule, RulesetSet, RulesetTable } from '../../../nft/reader.js';
import type { RenderSet } from '../../../nft/render/index.js';

export interface ListedTable {
  table: RulesetTable;
  sets: RulesetSet[];
  chains: Array<{ chain: RulesetChain; rules: RulesetRule[] }>;
}

const isAnonymous = (s: RulesetSet): boolean => s.flags?.includes('anonymous') ?? false;

/** Tables (and what is in them) the request covers, each with only the parts it lists. */
export function selectTables(r: Ruleset, req: ReadRequest): ListedTable[] {
  const out: ListedTable[] = [];
  for (const table of r.tables) {
    if (req.family && table.family !== req.family) continue;
    if (req.what === 'table' && table.name !== req.name) continue;
    if ((req.what === 'chain' || req.what === 'set' || req.what === 'map') && table.name !== req.table) continue;
    const mine = <T extends { family: unknown; table?: string }>(list: T[]): T[] => list.filter((x) => x.family === table.family && x.table === table.name);
    let sets = mine(r.sets).filter((s) => !isAnonymous(s));
    if (req.what === 'sets' || req.what === 'set') sets = sets.filter((s) => !s.flags?.includes('map'));
    if (req.what === 'maps' || req.what === 'map') sets = sets.filter((s) => s.flags?.includes('map'));
    if (req.what === 'set' || req.what === 'map') sets = sets.filter((s) => s.name === req.name);
    if (req.what === 'chains' || req.what === 'chain') sets = [];
    let chains = mine(r.chains).map((chain) => ({ chain, rules: mine(r.rules).filter((rule) => rule.chain === chain.name) }));
    if (req.what === 'chain') chains = chains.filter((c) => c.chain.name === req.name);
    if (req.what === 'sets' || req.what === 'set' || req.what === 'maps' || req.what === 'map') chains = [];
    if ((req.what === 'chain' && chains.length === 0) || ((req.what === 'set' || req.what === 'map') && sets.length === 0)) continue;
    out.push({ table, sets, chains });
  }
  return out;
}

/** The anonymous (and named) sets of a table, for rendering rules that look them up. */
export function setResolver(r: Ruleset, family: unknown, table: string | undefined): (ref: { name?: string; id?: number }) => RenderSet | undefined {
  const sets = r.sets.filter((s) => s.family === family && s.table === table);
  return (ref) => {
    const s = sets.find((x) => x.name === ref.name);
    if (!s) return undefined;
    return {
      name: s.name ?? '',
      interval: s.flags?.includes('interval') ?? false,
      ...(s.objType !== undefined ? { objectType: String(s.objType) } : {}),
      elements: (s.elements ?? []).map((e) => ({
        key: e.key?.value ?? new Uint8Array(),
        ...(e.keyEnd?.value ? { keyEnd: e.keyEnd.value } : {}),
        ...(e.flags?.includes('interval-end') ? { intervalEnd: true } : {}),
        ...(e.data ? { data: e.data } : {}),
        ...(e.objref !== undefined ? { objref: e.objref } : {}),
      })),
    };
  };
}

/** A named set's key and data shapes, with the byte order nft recorded (key-byteorder udata). */
export function setShape(s: RulesetSet): SetDescription | undefined {
  const d = describeKernelSet(s);
  if (!d) return undefined;
  const byteorder = s.userdata?.find((u) => !('raw' in u) && u.type === 'key-byteorder');
  const order = byteorder && !('raw' in byteorder) ? byteorder.value : undefined;
  if (d.key.parts.length === 1 && (order === 1 || order === 2)) d.key.parts[0] = { ...d.key.parts[0]!, order: order === 2 ? 'big' : 'host' };
  return d;
}
