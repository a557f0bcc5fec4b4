/**
 * `ip monitor [all | link | address | route | neigh | nsid …] [label]`: kernel notifications
 * printed as they happen, in ip's text form (`Deleted …` for removals), or with -j one JSON
 * object per line: the object `ip -j OBJECT show` would print, with `"object"` naming the kind
 * and `"deleted": true` on removals. Runs until interrupted (Ctrl-C, or ctx.signal).
 */
import { NetlinkProtocol } from '../../netlink/constants.js';
import { linkFromMessage, type Link } from '../../netlink/route/link.js';
import { escapeForDisplay } from '../../netlink/text.js';
import { connectInNetns } from '../../netns/connect.js';
import { Links } from '../../route/links.js';
import { Nsids } from '../../route/nsids.js';
import { routeEvents, type RouteEventKind, type RouteObjectEvent } from '../../route/events.js';
import type { CliContext } from '../context.js';
import { withTokens } from '../failure.js';
import { findKeyword, kw } from '../keywords.js';
import { TokenMap } from '../tokens.js';
import { traceHook } from '../trace.js';
import { UsageError } from '../usage-error.js';
import { addressJson, addressTextLines } from './addr-format.js';
import { ipJsonText, type IpJson } from './json.js';
import { linkJson, linkTextLines } from './link-format.js';
import { LinkNames } from './names.js';
import { neighJson, neighText } from './neigh-format.js';
import { routeJson, routeText } from './route-format.js';

interface MonitorKeyword {
  name: string;
  min?: number;
  kinds?: RouteEventKind[];
}
const OBJECTS: readonly MonitorKeyword[] = [
  { ...kw('all', 1), kinds: ['link', 'address', 'route', 'neighbour', 'nsid'] },
  { ...kw('link', 1), kinds: ['link'] },
  { ...kw('address', 1), kinds: ['address'] },
  { ...kw('route', 1), kinds: ['route'] },
  kw('mroute', 2), kw('prefix', 1),
  { ...kw('neigh', 1), kinds: ['neighbour'] },
  kw('netconf', 4), kw('rule', 2),
  { ...kw('nsid', 2), kinds: ['nsid'] },
  kw('nexthop', 3), kw('stats', 1), kw('maddress', 1),
];
const LABEL = kw('label', 1);
const LABELS: Record<RouteEventKind, string> = { link: '[LINK]', address: '[ADDR]', route: '[ROUTE]', neighbour: '[NEIGH]', nsid: '[NSID]', netconf: '[NETCONF]' };
const JSON_OBJECT: Record<RouteEventKind, string> = { link: 'link', address: 'address', route: 'route', neighbour: 'neigh', nsid: 'nsid', netconf: 'netconf' };

export async function runMonitor(words: readonly string[], ctx: CliContext): Promise<number> {
  const kinds = new Set<RouteEventKind>();
  let label = false;
  for (const w of words) {
    if (findKeyword(w, [LABEL]) !== undefined) {
      label = true;
      continue;
    }
    const k = findKeyword(w, OBJECTS);
    if (k === undefined) throw new UsageError(`ip monitor: "${w}" is unknown (objects: all, link, address, route, neigh, nsid)`);
    if (k.kinds === undefined) throw new UsageError(`ip monitor ${k.name}: not supported by netns-ts (supported: all, link, address, route, neigh, nsid)`);
    for (const kind of k.kinds) kinds.add(kind);
  }
  if (kinds.size === 0) for (const kind of OBJECTS[0]!.kinds!) kinds.add(kind);

  const { names, nsids, events } = await withTokens('ip monitor', new TokenMap(), async () => {
    const requests = ctx.connect(NetlinkProtocol.NETLINK_ROUTE);
    return {
      names: new LinkNames(await new Links(requests).list()),
      nsids: new Nsids(requests),
      events: connectInNetns(ctx.netns, { trace: traceHook(NetlinkProtocol.NETLINK_ROUTE, () => ctx.trace) }),
    };
  });
  const stream = routeEvents(events, { kinds: [...kinds], ...(ctx.family !== undefined ? { families: [ctx.family] } : {}) }, [events]);
  const stop = (): void => stream.close();
  ctx.signal?.addEventListener('abort', stop, { once: true });
  try {
    if (ctx.signal?.aborted) return 0;
    for await (const ev of stream) {
      if (ev.kind === 'overrun') ctx.err('netns-ts: ip monitor: events were lost (receive buffer overrun)');
      else if (ev.kind === 'error') ctx.err(`netns-ts: ip monitor: ${ev.error.message}`);
      else if (ev.kind !== 'resync') await print(ev, ctx, names, nsids, label);
    }
  } finally {
    ctx.signal?.removeEventListener('abort', stop);
    stream.close();
  }
  return 0;
}

async function print(ev: RouteObjectEvent, ctx: CliContext, names: LinkNames, nsids: Nsids, label: boolean): Promise<void> {
  const deleted = ev.action === 'del';
  let json: { [key: string]: IpJson | undefined };
  let lines: string[];
  switch (ev.kind) {
    case 'link': {
      const link: Link = linkFromMessage(ev.object);
      if (!deleted) names.set(link);
      json = linkJson(link, names, { details: false, stats: false, mode: false });
      lines = linkTextLines(link, names, { details: false, stats: false, mode: false }, () => undefined);
      if (deleted) names.delete(link.index);
      break;
    }
    case 'address': {
      const a = ev.object;
      json = { ifindex: a.ifindex, ifname: names.name(a.ifindex), addr_info: [addressJson(a)] };
      const [first, second] = addressTextLines(a, '');
      lines = [`${a.ifindex}: ${escapeForDisplay(names.name(a.ifindex))}    ${first}`, `${second}`.replace(/^ {3}/, '       ')];
      break;
    }
    case 'route':
      json = routeJson(ev.object, names);
      lines = routeText(ev.object, names).split('\n');
      break;
    case 'neighbour':
      json = neighJson(ev.object, names);
      lines = [neighText(ev.object, names)];
      break;
    case 'nsid': {
      const name = ev.object.nsid < 0 ? undefined : await nsids.nameOf(ev.object.nsid).catch(() => undefined);
      json = name === undefined ? { nsid: ev.object.nsid } : { nsid: ev.object.nsid, name };
      lines = [name === undefined ? `nsid ${ev.object.nsid}` : `nsid ${ev.object.nsid} (iproute2 netns name: ${escapeForDisplay(name)})`];
      break;
    }
    default:
      return;
  }
  if (ctx.json) {
    ctx.out(ipJsonText({ object: JSON_OBJECT[ev.kind], ...(deleted ? { deleted: true } : {}), ...json }, false));
    return;
  }
  const prefix = `${label ? `${LABELS[ev.kind]}` : ''}${deleted ? 'Deleted ' : ''}`;
  lines[0] = `${prefix}${lines[0]}`;
  for (const line of lines) ctx.out(line);
}
