/**
 * `nft -j list …`: the listing as libnftables JSON — `{"nftables": [{"metainfo": …}, {"table":
 * …}, {"set": …}, {"chain": …}, {"rule": …}]}`, per table in nft's order (the table, its sets
 * and maps, its chains, then the rules of each chain). Where nft 1.0.6's own JSON has known
 * bugs (table flags printed as a garbled string, chain devices left out) this prints what the
 * schema describes: `"flags": ["dormant"]`, `"dev": "lo"`.
 */
import { commentOf } from '../../../nft/udata.js';
import { hookName } from '../../../nft/hooks.js';
import type { ReadRequest } from '../../../nft/parse/compile/commands.js';
import type { Ruleset, RulesetSet } from '../../../nft/reader.js';
import { renderRule } from '../../../nft/render/index.js';
import type { TableFamily } from '../../../nft/constants.js';
import { selectTables, setResolver, setShape } from './model.js';
import { ruleExprJson } from './rule-json.js';
import { elementJson, listedElements } from './set-elements.js';
import type { ListOptions } from './text.js';

const SCHEMA_VERSION = 1;

function setJson(set: RulesetSet): Record<string, unknown> {
  const map = set.flags?.includes('map') ?? false;
  const shape = setShape(set);
  const names = (s: NonNullable<typeof shape>['key']): string[] => s.parts.map((p) => p.type);
  const out: Record<string, unknown> = { family: set.family, name: set.name, table: set.table };
  if (shape) {
    const key = names(shape.key);
    out.type = key.length === 1 ? key[0] : key;
  }
  out.handle = Number(set.handle ?? 0n);
  if (map && shape?.data) out.map = shape.data === 'verdict' ? 'verdict' : names(shape.data).join(' . ');
  const comment = commentOf(set.userdata);
  if (comment !== undefined) out.comment = comment;
  if (set.policy === 'memory') out.policy = 'memory';
  if (set.desc?.size !== undefined) out.size = set.desc.size;
  const flags = (['constant', 'interval', 'timeout', 'eval'] as const).filter((f) => set.flags?.includes(f)).map((f) => (f === 'eval' ? 'dynamic' : f));
  if (flags.length > 0) out.flags = flags;
  if (set.timeout) out.timeout = Number(set.timeout / 1000n);
  if (set.gcInterval) out['gc-interval'] = Math.floor(set.gcInterval / 1000);
  const elements = shape ? listedElements(set.elements ?? [], shape, set.timeout) : [];
  if (elements.length > 0) out.elem = elements.map(elementJson);
  return { [map ? 'map' : 'set']: out };
}

/** The JSON document `nft -j` prints for `req`. */
export function listJson(r: Ruleset, req: ReadRequest, o: ListOptions): unknown {
  const items: unknown[] = [{ metainfo: { version: 'netns-ts', release_name: 'netns-ts', json_schema_version: SCHEMA_VERSION } }];
  for (const { table, sets, chains } of selectTables(r, req)) {
    const t: Record<string, unknown> = { family: table.family, name: table.name, handle: Number(table.handle ?? 0n) };
    const flags = (table.flags ?? []).filter((f) => typeof f === 'string');
    if (flags.length > 0) t.flags = flags;
    const comment = commentOf(table.userdata);
    if (comment !== undefined) t.comment = comment;
    if (req.what === 'ruleset' || req.what === 'table' || req.what === 'tables') items.push({ table: t });
    if (req.what === 'tables') continue;
    for (const set of sets) items.push(setJson(set));
    for (const { chain } of chains) {
      const c: Record<string, unknown> = { family: chain.family, table: chain.table, name: chain.name, handle: Number(chain.handle ?? 0n) };
      const chainComment = commentOf(chain.userdata);
      if (chainComment !== undefined) c.comment = chainComment;
      if (chain.hook?.hooknum !== undefined) {
        c.type = chain.type;
        c.hook = hookName(chain.family, chain.hook.hooknum);
        c.prio = chain.hook.priority ?? 0;
        if (chain.hook.device !== undefined) c.dev = chain.hook.device;
        c.policy = typeof chain.policy === 'string' ? chain.policy : 'accept';
      }
      items.push({ chain: c });
    }
    if (req.what === 'chains') continue;
    for (const { rules } of chains) {
      for (const rule of rules) {
        const text = renderRule(rule.expressions ?? [], { family: rule.family as TableFamily, resolveSet: setResolver(r, rule.family, rule.table), stateless: o.stateless, ...(o.ifname ? { ifname: o.ifname } : {}) });
        const { expr, unparsed } = ruleExprJson(text, rule.family as TableFamily);
        const ruleComment = commentOf(rule.userdata);
        items.push({
          rule: {
            family: rule.family, table: rule.table, chain: rule.chain, handle: Number(rule.handle ?? 0n),
            ...(ruleComment !== undefined ? { comment: ruleComment } : {}),
            expr,
            ...(unparsed !== undefined ? { 'netns-ts': { text: unparsed } } : {}),
          },
        });
      }
    }
  }
  return { nftables: items };
}
