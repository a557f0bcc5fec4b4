/** `ip route …` against the kernel, through the Routes client. */
import { networkOf, parseIp, parsePrefix, prefixContains } from '../../netlink/addresses.js';
import { NetlinkProtocol } from '../../netlink/constants.js';
import { AddressFamily } from '../../netlink/route/constants.js';
import { scopeNames } from '../../netlink/route/route-constants.js';
import { Routes, type Route, type RouteFilter } from '../../route/routes.js';
import type { CliContext } from '../context.js';
import { withTokens } from '../failure.js';
import { UsageError } from '../usage-error.js';
import { ipJsonText } from './json.js';
import { LinkNames } from './names.js';
import { parseRouteCommand, type PrefixMatch, type RouteCommand } from './route-parse.js';
import { routeJson, routeText } from './route-format.js';

export type RouteVerb = 'add' | 'change' | 'replace' | 'delete' | 'show' | 'get';

export async function runRoute(verb: RouteVerb, words: readonly string[], ctx: CliContext): Promise<number> {
  if (verb === 'change') throw new UsageError('ip route change: not supported by netns-ts (use ip route replace)');
  const label = `ip route ${verb}`;
  const { command, tokens } = parseRouteCommand(verb, words, label);
  if (command.verb !== 'show' && command.verb !== 'get' && command.route.family === undefined && ctx.family !== undefined) command.route.family = ctx.family;
  await withTokens(label, tokens, () => execute(command, ctx));
  return 0;
}

async function execute(c: RouteCommand, ctx: CliContext): Promise<void> {
  const conn = ctx.connect(NetlinkProtocol.NETLINK_ROUTE);
  const routes = new Routes(conn);
  switch (c.verb) {
    case 'add': return routes.add(c.route);
    case 'replace': return routes.replace(c.route);
    case 'delete': return routes.delete(c.route);
    case 'get': {
      const route = await routes.get(c.address, c.lookup);
      const names = await LinkNames.load(conn);
      if (ctx.json) ctx.out(ipJsonText([routeJson(route, names, { get: true })], ctx.pretty));
      else for (const line of routeText(route, names, { get: true }).split('\n')) ctx.out(line);
      return;
    }
    case 'show': {
      const filter: RouteFilter = { table: c.table ?? 'main' };
      // As ip: listing one table (main by default) lists IPv4 unless -6 is given; `table all` lists both.
      const family = ctx.family ?? (filter.table === 'all' ? undefined : 4);
      if (family !== undefined) filter.family = family;
      if (c.protocol !== undefined) filter.protocol = c.protocol as RouteFilter['protocol'];
      if (c.type !== undefined) filter.type = c.type;
      if (c.dev !== undefined) filter.dev = c.dev;
      const names = await LinkNames.load(conn);
      let list = await routes.list(filter);
      if (c.scope !== undefined) {
        const scope = typeof c.scope === 'number' ? c.scope : scopeNames[c.scope];
        list = list.filter((r) => r.message.header.scope === scope);
      }
      // ip matches `dev` against the route's own output device: multipath routes do not match.
      if (c.dev !== undefined) list = list.filter((r) => r.ifindex !== undefined && names.name(r.ifindex) === c.dev);
      if (c.via !== undefined) list = list.filter((r) => r.via === c.via);
      if (c.to !== undefined) list = list.filter(selector(c.to));
      const filtered = new Set<'table' | 'dev' | 'protocol' | 'scope' | 'gateway'>();
      if (filter.table !== 'all' && filter.table !== 'main') filtered.add('table');
      if (c.dev !== undefined) filtered.add('dev');
      if (c.protocol !== undefined) filtered.add('protocol');
      if (c.scope !== undefined) filtered.add('scope');
      if (c.via !== undefined) filtered.add('gateway');
      const o = { filtered };
      if (ctx.json) ctx.out(ipJsonText(list.map((r) => routeJson(r, names, o)), ctx.pretty));
      else for (const r of list) for (const line of routeText(r, names, o).split('\n')) ctx.out(line);
    }
  }
}

/** `exact P`: the route to P; `root P`: routes inside P; `match P`: routes containing P. */
function selector(m: PrefixMatch): (r: Route) => boolean {
  if (m.prefix === 'default' || m.prefix === 'all') return (r) => m.prefix === 'all' || r.message.header.dstLen === 0;
  const p = parsePrefix(m.prefix, 'to');
  const net = networkOf(p.bytes, p.prefixLength);
  return (r) => {
    const h = r.message.header;
    const dst = r.message.attributes.dst;
    if ((h.family === AddressFamily.AF_INET) !== (p.family === 4)) return false;
    const bytes = dst === undefined ? new Uint8Array(net.length) : parseIp(dst, 'dst').bytes;
    if (m.how === 'exact') return h.dstLen === p.prefixLength && prefixContains(net, p.prefixLength, bytes);
    if (m.how === 'root') return h.dstLen >= p.prefixLength && prefixContains(net, p.prefixLength, bytes);
    return h.dstLen <= p.prefixLength && prefixContains(networkOf(bytes, h.dstLen), h.dstLen, p.bytes);
  };
}
