/**
 * `ip route add|replace|delete|show|get` words → what to do (pure). Keywords as iproute2 6.1
 * takes them: `via`, `dev`, `src`, `scope`, `mtu`, `advmss`, `nexthop`, `weight`, `onlink`
 * in full; `ta` for table, `met`/`pri` for metric, `pro` for proto; a route type (`blackhole`,
 * `local` …) before the destination.
 */
import { ArgReader } from '../args.js';
import { kw } from '../keywords.js';
import type { TokenMap } from '../tokens.js';
import type { NexthopInput, RouteInput, RouteLookup, RouteMetricsInput } from '../../route/routes.js';
import { routeProtocolNames, routeTypeNames, scopeNames, type RouteProtocolName, type RouteTypeName, type ScopeName } from '../../netlink/route/route-constants.js';

const U32_MAX = 0xffffffff;
const U8_MAX = 0xff;
const WEIGHT_MAX = 256;
const TABLE_NAMES = ['main', 'local', 'default'] as const;
type TableWord = number | (typeof TABLE_NAMES)[number];

/** How `ip route show PREFIX` selects: the prefix itself, routes inside it, or routes containing it. */
export type PrefixMatch = { how: 'exact' | 'root' | 'match'; prefix: string };

export type RouteCommand =
  | { verb: 'add' | 'replace' | 'delete'; route: RouteInput }
  | { verb: 'show'; table?: TableWord | 'all'; dev?: string; protocol?: RouteProtocolName | number; type?: RouteTypeName; scope?: ScopeName | number; via?: string; to?: PrefixMatch }
  | { verb: 'get'; address: string; lookup: RouteLookup };

const K = {
  to: kw('to'),
  via: kw('via'),
  dev: kw('dev', undefined, ['oif']),
  table: kw('table', 2),
  metric: kw('metric', 3, ['priority', 'preference', 'pri']),
  proto: kw('protocol', 3, ['proto']),
  scope: kw('scope'),
  src: kw('src'),
  tos: kw('tos', undefined, ['dsfield']),
  onlink: kw('onlink'),
  mtu: kw('mtu'),
  advmss: kw('advmss'),
  nexthop: kw('nexthop'),
  pref: kw('pref'),
} as const;
const TYPES = Object.keys(routeTypeNames).filter((t) => t !== 'unspec');

function tableValue(r: ArgReader, text: string, allowAll: boolean): TableWord | 'all' {
  if ((TABLE_NAMES as readonly string[]).includes(text)) return text as TableWord;
  if (allowAll && text === 'all') return 'all';
  if (/^[0-9]+$/.test(text) && Number(text) >= 1 && Number(text) <= U32_MAX) return Number(text);
  throw r.fail(`table ${text}`, `must be main, local, default${allowAll ? ', all' : ''} or a number from 1 to ${U32_MAX}`);
}

function named<N extends string>(r: ArgReader, key: string, text: string, names: Record<N, number>, max: number): N | number {
  if (Object.hasOwn(names, text)) return text as N;
  if (/^[0-9]+$/.test(text) && Number(text) <= max) return Number(text);
  throw r.fail(`${key} ${text}`, `must be one of ${Object.keys(names).join(', ')} or a number from 0 to ${max}`);
}

/** `mtu [lock] N` / `advmss [lock] N` */
function metricValue(r: ArgReader, key: 'mtu' | 'advmss', metrics: RouteMetricsInput): void {
  let lock = false;
  if (r.peek() === 'lock') {
    r.next();
    lock = true;
  }
  metrics[key] = r.integer(lock ? `${key} lock` : key, [`metrics.${key}`, 'metrics'], 0, U32_MAX);
  if (lock) (metrics.lock ??= []).push(key);
}

/** `nexthop via ADDR [dev DEV] [weight N] [onlink]` (the `nexthop` word is consumed). */
function parseNexthop(r: ArgReader, index: number): NexthopInput {
  const nh: NexthopInput = {};
  const field = `nexthops[${index}]`;
  for (;;) {
    const w = r.peek();
    if (w === 'via') (r.next(), (nh.via = r.value('via', [`${field}.via`, `multipath[${index}]`])));
    else if (w === 'dev') (r.next(), (nh.dev = r.value('dev', [`${field}.dev`, `multipath[${index}]`])));
    else if (w === 'weight') (r.next(), (nh.weight = r.integer('weight', [`${field}.weight`], 1, WEIGHT_MAX)));
    else if (w === 'onlink') (r.next(), (nh.onlink = true));
    else break;
  }
  if (nh.via === undefined && nh.dev === undefined) throw r.error(`nexthop ${index + 1}: give via ADDR and/or dev DEV`);
  return nh;
}

function parseModify(r: ArgReader, verb: 'add' | 'replace' | 'delete'): RouteCommand {
  const route: Partial<RouteInput> = {};
  const metrics: RouteMetricsInput = {};
  const nexthops: NexthopInput[] = [];
  const setTo = (typed: string, value: string): void => {
    if (route.to !== undefined) throw r.fail(typed, `the destination is already ${route.to}`);
    route.to = value;
    r.tokens.note(['to', 'dst'], typed);
    r.tokens.subject = typed;
  };
  while (!r.done) {
    const k = r.keyword(Object.values(K));
    if (k === K.to) setTo(`to ${r.peek() ?? ''}`, r.next('the destination'));
    else if (k === K.via) route.via = r.value('via', ['via', 'gateway']);
    else if (k === K.dev) route.dev = r.value('dev', ['dev', 'oif']);
    else if (k === K.table) route.table = tableValue(r, r.value('table', ['table']), false) as TableWord;
    else if (k === K.metric) route.metric = r.integer('metric', ['metric', 'priority'], 0, U32_MAX);
    else if (k === K.proto) route.protocol = named(r, 'proto', r.value('proto', ['protocol']), routeProtocolNames, U8_MAX);
    else if (k === K.scope) route.scope = named(r, 'scope', r.value('scope', ['scope']), scopeNames, U8_MAX);
    else if (k === K.src) route.src = r.value('src', ['src', 'prefsrc']);
    else if (k === K.tos) route.tos = r.integer('tos', ['tos'], 0, U8_MAX);
    else if (k === K.onlink) (route.onlink = true), r.tokens.note('onlink', 'onlink');
    else if (k === K.mtu || k === K.advmss) metricValue(r, k.name as 'mtu' | 'advmss', metrics);
    else if (k === K.pref) route.pref = r.value('pref', ['pref']) as RouteInput['pref'];
    else if (k === K.nexthop) nexthops.push(parseNexthop(r, nexthops.length));
    else if (route.to === undefined && route.type === undefined && TYPES.includes(r.peek()!)) {
      route.type = r.next() as RouteTypeName;
      r.tokens.note('type', route.type);
    } else if (route.to === undefined && !r.peek()!.startsWith('-')) {
      const v = r.next();
      setTo(v, v);
    } else throw r.unexpected('ip route add [TYPE] PREFIX [via ADDR] [dev DEV] [table T] [metric N] [proto P] [scope S] [src ADDR] [onlink] [mtu N] [advmss N] [nexthop …]');
  }
  if (route.to === undefined) throw r.error('which destination? (ip route add PREFIX …, or default)');
  if (Object.keys(metrics).length > 0) route.metrics = metrics;
  if (nexthops.length > 0) route.nexthops = nexthops;
  return { verb, route: route as RouteInput };
}

function parseShow(r: ArgReader): RouteCommand {
  const c: Extract<RouteCommand, { verb: 'show' }> = { verb: 'show' };
  while (!r.done) {
    const w = r.peek()!;
    if (r.keyword([K.table])) c.table = tableValue(r, r.value('table', ['table']), true);
    else if (r.keyword([K.dev])) c.dev = r.value('dev', ['dev']);
    else if (r.keyword([K.proto])) c.protocol = named(r, 'proto', r.value('proto', ['protocol']), routeProtocolNames, U8_MAX);
    else if (w === 'type') (r.next(), (c.type = named(r, 'type', r.value('type', ['type']), routeTypeNames, 0) as RouteTypeName));
    else if (r.keyword([K.scope])) c.scope = named(r, 'scope', r.value('scope', ['scope']), scopeNames, U8_MAX);
    else if (r.keyword([K.via])) c.via = r.value('via', ['via']);
    else if (w === 'root' || w === 'match' || w === 'exact') (r.next(), (c.to = { how: w, prefix: r.value(w, ['to']) }));
    else if (r.keyword([K.to])) c.to = { how: 'exact', prefix: r.value('to', ['to']) };
    else if (c.to === undefined && !w.startsWith('-')) c.to = { how: 'exact', prefix: (r.tokens.note('to', r.peek()!), r.next()) };
    else throw r.unexpected('show filters: table T|all, dev DEV, proto P, type T, scope S, via ADDR, [root|match|exact] PREFIX');
  }
  return c;
}

function parseGet(r: ArgReader): RouteCommand {
  let address: string | undefined;
  const lookup: RouteLookup = {};
  while (!r.done) {
    const w = r.peek()!;
    if (w === 'from') (r.next(), (lookup.from = r.value('from', ['from', 'src'])));
    else if (w === 'iif') (r.next(), (lookup.iif = r.value('iif', ['iif'])));
    else if (w === 'oif' || w === 'dev') (r.next(), (lookup.oif = r.value(w, ['oif'])));
    else if (w === 'mark') (r.next(), (lookup.mark = r.integer('mark', ['mark'], 0, U32_MAX)));
    else if (w === 'fibmatch') (r.next(), (lookup.fibMatch = true));
    else if (w === 'to') (r.next(), (address = r.value('to', ['address', 'dst'])));
    else if (address === undefined && !w.startsWith('-')) {
      address = r.next();
      r.tokens.note(['address', 'dst'], address);
    } else throw r.unexpected('ip route get ADDR [from ADDR] [iif DEV] [oif DEV] [mark N] [fibmatch]');
  }
  if (address === undefined) throw r.error('which address? (ip route get ADDR)');
  r.tokens.subject = address;
  return { verb: 'get', address, lookup };
}

/** Parse `ip route VERB …` (verb already resolved). */
export function parseRouteCommand(verb: 'add' | 'replace' | 'delete' | 'show' | 'get', words: readonly string[], label = `ip route ${verb}`): { command: RouteCommand; tokens: TokenMap } {
  const r = new ArgReader(label, words);
  const command = verb === 'show' ? parseShow(r) : verb === 'get' ? parseGet(r) : parseModify(r, verb);
  return { command, tokens: r.tokens };
}
