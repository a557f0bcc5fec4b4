/** `ip link …` against the kernel: runs a parsed LinkCommand through the Links client. */
import { NetlinkProtocol } from '../../netlink/constants.js';
import { NetlinkError } from '../../netlink/errors.js';
import type { Link } from '../../netlink/route/link.js';
import { Links, type LinkChanges } from '../../route/links.js';
import { Nsids } from '../../route/nsids.js';
import type { CliContext } from '../context.js';
import { CommandFailure, withTokens } from '../failure.js';
import { UsageError } from '../usage-error.js';
import { ipJsonText } from './json.js';
import { linkJson, linkTextLines } from './link-format.js';
import { parseLinkCommand, type LinkCommand, type LinkOptionWords } from './link-parse.js';
import { LinkNames } from './names.js';

export type LinkVerb = 'add' | 'set' | 'delete' | 'show';

/** Run `ip link VERB words…`. */
export async function runLink(verb: LinkVerb, words: readonly string[], ctx: CliContext): Promise<number> {
  const label = `ip link ${verb}`;
  const { command, tokens } = parseLinkCommand(verb, words, label);
  await withTokens(label, tokens, () => execute(command, new Links(ctx.connect(NetlinkProtocol.NETLINK_ROUTE)), ctx, label));
  return 0;
}

function common(o: LinkOptionWords): Record<string, unknown> {
  const { link: _link, broadcast, ...rest } = o;
  if (broadcast !== undefined) throw new UsageError('ip link add: broadcast: set it after creation (ip link set DEV broadcast LLADDR)');
  return rest;
}

async function execute(c: LinkCommand, links: Links, ctx: CliContext, label: string): Promise<void> {
  switch (c.verb) {
    case 'add': {
      const base = { name: c.name, ...common(c.options) };
      if (c.kind === 'veth') {
        if (c.peer === undefined) throw new UsageError(`${label}: type veth: name the other end (peer name NAME)`);
        await links.createVeth({ ...base, peer: c.peer });
      } else if (c.kind === 'bridge') await links.createBridge({ ...base, ...c.bridge });
      else if (c.kind === 'macvlan') await links.createMacvlan({ ...base, ...c.macvlan, link: c.options.link! });
      else if (c.kind === 'vxlan') await links.createVxlan({ ...base, ...c.vxlan, vni: c.vxlan!.vni! });
      else await links.createIfb(base);
      return;
    }
    case 'set':
      await links.set(c.dev, c.changes as LinkChanges);
      return;
    case 'delete':
      if (c.group !== undefined) await links.deleteGroup(c.group);
      else await links.delete(c.dev!);
      return;
    case 'show':
      await show(c, links, ctx, label);
  }
}

/** What `dev NAME` of a show command selects: that link (all without it), or ip's "device does not exist". */
export function linksOfDev(all: Link[], dev: string | undefined, label: string): Link[] {
  if (dev === undefined) return all;
  const shown = all.filter((l) => l.name === dev);
  if (shown.length === 0) throw new CommandFailure(label, dev, 'device does not exist');
  return shown;
}

async function show(c: Extract<LinkCommand, { verb: 'show' }>, links: Links, ctx: CliContext, label: string): Promise<void> {
  const all = await links.list();
  const names = new LinkNames(all);
  let shown = linksOfDev(all, c.dev, label);
  if (c.master !== undefined) {
    const master = all.find((l) => l.name === c.master);
    if (master === undefined) throw new CommandFailure(label, `master ${c.master}`, 'device does not exist');
    shown = shown.filter((l) => l.master === master.index);
  }
  if (c.kind !== undefined) shown = shown.filter((l) => l.kind === c.kind);
  if (c.up) shown = shown.filter((l) => l.up);
  const o = { details: ctx.details, stats: ctx.stats, mode: true };
  if (ctx.json) {
    ctx.out(ipJsonText(shown.map((l) => linkJson(l, names, o)), ctx.pretty));
    return;
  }
  const netnsNames = await linkNetnsNames(links, shown.map((l) => l.linkNetnsId));
  for (const l of shown) for (const line of linkTextLines(l, names, o, (id) => netnsNames.get(id))) ctx.out(line);
}

/** Names of the namespaces behind link-netnsid values, as `ip` shows them (`link-netns blue`). */
export async function linkNetnsNames(links: Links, ids: ReadonlyArray<number | undefined>): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const nsids = new Nsids(links.connection);
  for (const id of new Set(ids)) {
    if (id === undefined || id < 0) continue;
    try {
      const name = await nsids.nameOf(id);
      if (name !== undefined) out.set(id, name);
    } catch (err) {
      // A namespace we may not inspect only costs the name: ip prints link-netnsid then too.
      if (!(err instanceof NetlinkError)) throw err;
    }
  }
  return out;
}
