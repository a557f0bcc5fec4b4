/** `ip address …` against the kernel, through the Addresses client. */
import { NetlinkProtocol } from '../../netlink/constants.js';
import { Addresses, type Address } from '../../route/addresses.js';
import { Links } from '../../route/links.js';
import type { CliContext } from '../context.js';
import { CommandFailure, withTokens } from '../failure.js';
import { UsageError } from '../usage-error.js';
import { linkAddressesJson, linkAddressesText } from './addr-format.js';
import { parseAddressCommand, type AddressCommand } from './addr-parse.js';
import { ipJsonText } from './json.js';
import { linkNetnsNames, linksOfDev } from './link-run.js';
import { LinkNames } from './names.js';

export type AddressVerb = 'add' | 'change' | 'replace' | 'delete' | 'show' | 'flush';

export async function runAddress(verb: AddressVerb, words: readonly string[], ctx: CliContext): Promise<number> {
  if (verb === 'change') throw new UsageError('ip address change: not supported by netns-ts (use ip address replace)');
  const label = `ip address ${verb}`;
  const { command, tokens } = parseAddressCommand(verb, words, label);
  await withTokens(label, tokens, () => execute(command, ctx, label));
  return 0;
}

async function execute(c: AddressCommand, ctx: CliContext, label: string): Promise<void> {
  const conn = ctx.connect(NetlinkProtocol.NETLINK_ROUTE);
  const addresses = new Addresses(conn);
  const family = ctx.family;
  switch (c.verb) {
    case 'add': return addresses.add(c.input);
    case 'replace': return addresses.replace(c.input);
    case 'delete': return addresses.delete(c.input);
    case 'flush': {
      await addresses.flush({ ...(c.dev !== undefined ? { dev: c.dev } : {}), ...(c.scope !== undefined ? { scope: c.scope } : {}), ...(family !== undefined ? { family } : {}) });
      return;
    }
    case 'show': {
      const links = new Links(conn);
      const all = await links.list();
      const names = new LinkNames(all);
      let shown = linksOfDev(all, c.dev, label);
      if (c.up) shown = shown.filter((l) => l.up);
      const list = await addresses.list(family === undefined ? {} : { family });
      const byLink = new Map<number, Address[]>();
      for (const a of list) (byLink.get(a.ifindex) ?? byLink.set(a.ifindex, []).get(a.ifindex)!).push(a);
      // With a family filter ip lists only the links that have addresses of that family.
      if (family !== undefined) shown = shown.filter((l) => byLink.has(l.index));
      if (ctx.json) {
        ctx.out(ipJsonText(shown.map((l) => linkAddressesJson(l, byLink.get(l.index) ?? [], names, family)), ctx.pretty));
        return;
      }
      const netnsNames = await linkNetnsNames(links, shown.map((l) => l.linkNetnsId));
      for (const l of shown) for (const line of linkAddressesText(l, byLink.get(l.index) ?? [], names, (id) => netnsNames.get(id))) ctx.out(line);
    }
  }
}
