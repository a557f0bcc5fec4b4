/**
 * `netns-ts nft monitor [new|destroy] [tables|chains|rules|sets|elements|ruleset]`: committed
 * nf_tables changes printed as `nft monitor` prints them —
 *
 *   add table ip nat
 *   add chain ip nat post { type nat hook postrouting priority srcnat; policy accept; }
 *   add rule ip nat post ip saddr 10.0.0.0/24 masquerade
 *   delete rule ip nat post handle 4
 *   # new generation 7 by process 1234 (nft)
 *
 * Anonymous sets arrive before the rule that uses them and are kept to print it; named sets
 * are read once at the start so their elements can be printed.
 */
import { NetlinkProtocol } from '../../netlink/constants.js';
import { NfnlGroup } from '../../nft/constants.js';
import { hookName } from '../../nft/hooks.js';
import { NftMonitor, type NftEvent } from '../../nft/monitor.js';
import { listRuleset, type Ruleset, type RulesetChain, type RulesetRule, type RulesetSet } from '../../nft/reader.js';
import type { SetElementAttributes } from '../../nft/set-element.js';
import type { CliContext } from '../context.js';
import { setShape } from './list/model.js';
import { priorityText } from './list/priority.js';
import { elementText, listedElements } from './list/set-elements.js';
import { ruleText } from './list/text.js';

export interface MonitorOptions {
  /** `new` or `destroy` only. */
  event?: 'new' | 'destroy';
  /** tables, chains, rules, sets, elements, ruleset (= all). */
  what?: string;
  handles: boolean;
  json: boolean;
  /** Stop when aborted. */
  signal?: AbortSignal;
  /** Stop after this many printed lines (tests). */
  maxLines?: number;
}

const KIND_OF_FILTER: Readonly<Record<string, string>> = { tables: 'table', chains: 'chain', rules: 'rule', sets: 'set', elements: 'element' };

/** What the monitor remembers to print rules and elements: sets by table, as the ruleset has them. */
class MonitorCache {
  readonly ruleset: Ruleset;
  constructor(initial: Ruleset) {
    this.ruleset = initial;
  }

  set(family: unknown, table: unknown, name: unknown): RulesetSet | undefined {
    return this.ruleset.sets.find((s) => s.family === family && s.table === table && s.name === name);
  }

  addSet(s: RulesetSet): void {
    this.removeSet(s);
    this.ruleset.sets.push({ ...s, elements: [] });
  }

  removeSet(s: { family: unknown; table?: string; name?: string }): void {
    const i = this.ruleset.sets.findIndex((x) => x.family === s.family && x.table === s.table && x.name === s.name);
    if (i >= 0) this.ruleset.sets.splice(i, 1);
  }
}

function handleSuffix(o: MonitorOptions, h: unknown): string {
  return o.handles && typeof h === 'bigint' ? ` # handle ${h}` : '';
}

function chainText(c: RulesetChain): string {
  const hook = c.hook;
  if (hook?.hooknum === undefined) return `${c.family} ${c.table} ${c.name}`;
  const device = hook.device !== undefined ? ` device "${hook.device}"` : '';
  const prio = priorityText(c.family, hook.hooknum, hook.priority ?? 0);
  const policy = typeof c.policy === 'string' ? c.policy : 'accept';
  return `${c.family} ${c.table} ${c.name} { type ${c.type} hook ${hookName(c.family, hook.hooknum)}${device} priority ${prio}; policy ${policy}; }`;
}

function setDeclaration(s: RulesetSet): string {
  const shape = setShape(s);
  const map = s.flags?.includes('map') ?? false;
  const names = (p: { parts: Array<{ type: string }> }): string => p.parts.map((x) => x.type).join(' . ');
  const type = shape ? `${names(shape.key)}${shape.data ? ` : ${shape.data === 'verdict' ? 'verdict' : names(shape.data)}` : ''}` : String(s.keyType);
  const flags = (['constant', 'eval', 'interval', 'timeout'] as const).filter((f) => s.flags?.includes(f)).map((f) => (f === 'eval' ? 'dynamic' : f));
  return `${map ? 'map' : 'set'} ${s.family} ${s.table} ${s.name} { type ${type};${flags.length > 0 ? ` flags ${flags.join(',')};` : ''} } `;
}

/** The line(s) for one event, or none (anonymous sets, filtered kinds). */
function eventLines(e: NftEvent, cache: MonitorCache, o: MonitorOptions): string[] {
  if (e.kind === 'generation') return o.event || o.what ? [] : [`# new generation ${e.generation} by process ${e.pid ?? 0} (${e.process ?? '?'})`];
  if (e.kind === 'overrun' || e.kind === 'unknown' || e.kind === 'trace') return [];
  const a = { ...e.attributes, family: e.family } as Record<string, unknown> & { family: typeof e.family };
  const verb = e.op === 'new' ? 'add' : 'delete';
  const anonymous = e.kind === 'set' && (a.flags as string[] | undefined)?.includes('anonymous');
  // Keep the cache current first: rules and elements are printed with it.
  if (e.kind === 'set' && e.op === 'new') cache.addSet(a as unknown as RulesetSet);
  if (e.kind === 'element' && e.op === 'new') {
    const set = cache.set(a.family, a.table, a.set);
    set?.elements?.push(...((a.elements as SetElementAttributes[] | undefined) ?? []));
  }
  const filtered = (o.event && o.event !== (e.op === 'new' ? 'new' : 'destroy')) || (o.what && o.what !== 'ruleset' && KIND_OF_FILTER[o.what] !== e.kind);
  let line: string | undefined;
  switch (e.kind) {
    case 'table':
      line = `${verb} table ${a.family} ${String(a.name)}${handleSuffix(o, a.handle)}`;
      break;
    case 'chain':
      line = e.op === 'new' ? `add chain ${chainText(a as unknown as RulesetChain)}${handleSuffix(o, a.handle)}` : `delete chain ${a.family} ${String(a.table)} ${String(a.name)}`;
      break;
    case 'rule':
      line = e.op === 'new'
        ? `add rule ${a.family} ${String(a.table)} ${String(a.chain)} ${ruleText(cache.ruleset, a as unknown as RulesetRule, { handles: o.handles, stateless: false })}`
        : `delete rule ${a.family} ${String(a.table)} ${String(a.chain)} handle ${String(a.handle)}`;
      break;
    case 'set':
      if (e.op === 'new') line = anonymous ? undefined : `add ${setDeclaration(a as unknown as RulesetSet)}`;
      else {
        cache.removeSet(a as unknown as RulesetSet);
        line = `delete ${(a.flags as string[] | undefined)?.includes('map') ? 'map' : 'set'} ${a.family} ${String(a.table)} ${String(a.name)}`;
      }
      break;
    case 'element': {
      const set = cache.set(a.family, a.table, a.set);
      if (set?.flags?.includes('anonymous')) break;
      const shape = set ? setShape(set) : undefined;
      const list = (a.elements as SetElementAttributes[] | undefined) ?? [];
      const items = shape ? listedElements(list, e.op === 'new' ? shape : { ...shape, data: undefined }, set?.timeout).map(elementText) : [`${list.length} elements`];
      line = `${verb} element ${a.family} ${String(a.table)} ${String(a.set)} { ${items.join(', ')} }`;
      break;
    }
    default:
      break;
  }
  return line === undefined || filtered ? [] : [line];
}

/** Print events until `signal` aborts (or `maxLines` lines were printed). */
export async function monitorNft(ctx: CliContext, o: MonitorOptions): Promise<void> {
  const conn = ctx.connect(NetlinkProtocol.NETLINK_NETFILTER);
  const cache = new MonitorCache(await listRuleset(conn, { elements: true }));
  const monitor = new NftMonitor(conn);
  const stop = (): void => monitor.close();
  o.signal?.addEventListener('abort', stop, { once: true });
  let printed = 0;
  try {
    if (o.signal?.aborted) return;
    for await (const e of monitor) {
      if (e.kind === 'overrun') {
        ctx.err('# events were lost (the socket overran): the ruleset may have changed unseen');
        continue;
      }
      for (const line of eventLines(e, cache, o)) {
        ctx.out(o.json ? JSON.stringify({ [line.startsWith('#') ? 'comment' : 'event']: line }) : line);
        if (o.maxLines !== undefined && ++printed >= o.maxLines) return;
      }
    }
  } finally {
    o.signal?.removeEventListener('abort', stop);
    monitor.close();
    conn.transport.dropMembership(NfnlGroup.NFNLGRP_NFTABLES);
  }
}
