/**
 * `nft list …` output: tables, their named sets and maps, chains (base chain declaration,
 * policy, comment) and rules in nft syntax (src/nft/render), with `# handle N` under `-a`.
 */
import { commentOf } from '../../../nft/udata.js';
import { hookName } from '../../../nft/hooks.js';
import type { ReadRequest } from '../../../nft/parse/compile/commands.js';
import type { Ruleset, RulesetChain, RulesetRule, RulesetSet, RulesetTable } from '../../../nft/reader.js';
import { formatDuration, renderRule } from '../../../nft/render/index.js';
import type { TableFamily } from '../../../nft/constants.js';
import { selectTables, setResolver, setShape } from './model.js';
import { priorityText } from './priority.js';
import { elementsPerLine, elementText, listedElements } from './set-elements.js';

export interface ListOptions {
  /** `-a`: print handles. */
  handles: boolean;
  /** `-s`: leave out counter values. */
  stateless: boolean;
  /** Interface names for indexes (iif/oif). */
  ifname?(index: number): string | undefined;
}

const NEWLINE_DELIMITER = ',\n\t\t\t     ';

const handle = (o: ListOptions, h: bigint | undefined): string => (o.handles && h !== undefined ? ` # handle ${h}` : '');

/** A rule in nft syntax: statements, comment, handle. */
export function ruleText(r: Ruleset, rule: RulesetRule, o: ListOptions): string {
  const text = renderRule(rule.expressions ?? [], {
    family: rule.family as TableFamily,
    resolveSet: setResolver(r, rule.family, rule.table),
    stateless: o.stateless,
    ...(o.ifname ? { ifname: o.ifname } : {}),
  });
  const comment = commentOf(rule.userdata);
  return `${text}${comment !== undefined ? ` comment "${comment}"` : ''}${handle(o, rule.handle)}`;
}

function chainLines(r: Ruleset, chain: RulesetChain, rules: RulesetRule[], o: ListOptions, withRules: boolean): string[] {
  const lines = [`\tchain ${chain.name} {${handle(o, chain.handle)}`];
  const hook = chain.hook;
  if (hook?.hooknum !== undefined) {
    const device = hook.device !== undefined ? ` device "${hook.device}"` : '';
    const name = hookName(chain.family, hook.hooknum);
    const prio = priorityText(chain.family, hook.hooknum, hook.priority ?? 0);
    lines.push(`\t\ttype ${chain.type ?? 'filter'} hook ${name}${device} priority ${prio}; policy ${typeof chain.policy === 'string' ? chain.policy : 'accept'};`);
  }
  const comment = commentOf(chain.userdata);
  if (comment !== undefined) lines.push(`\t\tcomment "${comment}"`);
  if (withRules) for (const rule of rules) lines.push(`\t\t${ruleText(r, rule, o)}`);
  lines.push('\t}');
  return lines;
}

/** nft prints the timeout flag only when the set has no default timeout (or has other flags). */
function setFlags(set: RulesetSet): string | undefined {
  const flags = set.flags ?? [];
  const shown = flags.filter((f) => f === 'constant' || f === 'eval' || f === 'interval' || (f === 'timeout' && !set.timeout));
  if (shown.length === 0) return undefined;
  const names = (['constant', 'eval', 'interval', 'timeout'] as const).filter((f) => flags.includes(f)).map((f) => (f === 'eval' ? 'dynamic' : f));
  return names.join(',');
}

function setLines(set: RulesetSet, o: ListOptions): string[] {
  const map = set.flags?.includes('map') ?? false;
  const shape = setShape(set);
  const lines = [`\t${map ? 'map' : 'set'} ${set.name} {${handle(o, set.handle)}`];
  const typeName = (s: NonNullable<typeof shape>['key']): string => s.parts.map((p) => p.type).join(' . ');
  if (!shape) {
    lines.push(`\t\ttype ${set.keyType}`, '\t}');
    return lines;
  }
  lines.push(`\t\ttype ${typeName(shape.key)}${shape.data ? ` : ${shape.data === 'verdict' ? 'verdict' : typeName(shape.data)}` : ''}`);
  if (set.policy === 'memory') lines.push('\t\tpolicy memory');
  if (set.desc?.size !== undefined) lines.push(`\t\tsize ${set.desc.size}`);
  const flags = setFlags(set);
  if (flags) lines.push(`\t\tflags ${flags}`);
  if (set.timeout) lines.push(`\t\ttimeout ${formatDuration(set.timeout)}`);
  if (set.gcInterval) lines.push(`\t\tgc-interval ${formatDuration(BigInt(set.gcInterval))}`);
  const comment = commentOf(set.userdata);
  if (comment !== undefined) lines.push(`\t\tcomment "${comment}"`);
  const elements = listedElements(set.elements ?? [], shape, set.timeout);
  if (elements.length > 0) {
    const perLine = elementsPerLine(shape.key.parts.length === 1 ? shape.key.parts[0]!.type : 'hex');
    // nft counts two per element here (its calculate_delim sees each element twice).
    const step = 2;
    let text = '';
    let count = 0;
    elements.forEach((e, i) => {
      if (i > 0) {
        count += step;
        if (perLine !== undefined && count < perLine) text += ', ';
        else {
          text += NEWLINE_DELIMITER;
          count = 0;
        }
      }
      text += elementText(e);
    });
    lines.push(...`\t\telements = { ${text} }`.split('\n'));
  }
  lines.push('\t}');
  return lines;
}

function tableHeader(t: RulesetTable, o: ListOptions): string {
  return `table ${t.family} ${t.name} {${handle(o, t.handle)}`;
}

/** The lines `nft list …` prints for `req`. */
export function listText(r: Ruleset, req: ReadRequest, o: ListOptions): string[] {
  const tables = selectTables(r, req);
  if (req.what === 'tables') return tables.map(({ table }) => `table ${table.family} ${table.name}${handle(o, table.handle)}`);
  const lines: string[] = [];
  for (const { table, sets, chains } of tables) {
    const full = req.what === 'ruleset' || req.what === 'table';
    // nft shows the table's handle only when listing whole tables.
    lines.push(tableHeader(table, full ? o : { ...o, handles: false }));
    // Between declarations nft prints a blank line in full listings, none in `list chains|sets`.
    let delimiter = false;
    const separate = full || req.what === 'chain' || req.what === 'set' || req.what === 'map';
    if (full) {
      const flags = (table.flags ?? []).filter((f) => typeof f === 'string');
      if (flags.length > 0) {
        lines.push(`\tflags ${flags.join(',')}`);
        delimiter = true;
      }
      const comment = commentOf(table.userdata);
      if (comment !== undefined) lines.push(`\tcomment "${comment}"`);
    }
    for (const set of sets) {
      if (delimiter && separate) lines.push('');
      lines.push(...setLines(set, o));
      delimiter = true;
    }
    for (const { chain, rules } of chains) {
      if (delimiter && separate) lines.push('');
      lines.push(...chainLines(r, chain, rules, o, req.what !== 'chains'));
      delimiter = true;
    }
    lines.push('}');
  }
  return lines;
}
