/**
 * `ip tuntap …` against the kernel: devices made by Links.createTun (TUNSETIFF through the
 * binding), listed from the links' IFLA_TUN_* data and deleted over rtnetlink. The text and
 * JSON of `show` are ip's (without `one_queue`, which the kernel does not report over
 * netlink; `-d`'s list of attached processes is not printed).
 */
import { NetlinkProtocol } from '../../netlink/constants.js';
import type { Link } from '../../netlink/route/link.js';
import { Links } from '../../route/links.js';
import type { CliContext } from '../context.js';
import { CommandFailure, withTokens } from '../failure.js';
import { ipJsonText } from './json.js';
import { parseTuntapCommand, type TuntapCommand, type TuntapVerb } from './tuntap-parse.js';

export async function runTuntap(verb: TuntapVerb, words: readonly string[], ctx: CliContext): Promise<number> {
  const label = `ip tuntap ${verb === 'delete' ? 'del' : verb}`;
  const { command, tokens } = parseTuntapCommand(verb, words, label);
  await withTokens(label, tokens, () => execute(command, ctx, label));
  return 0;
}

/** ip's flag words for a device, in ip's order. */
function flagWords(link: Link): string[] {
  const t = link.tun!;
  const words: string[] = [String(t.type)];
  // IFF_NO_PI and IFF_NOFILTER are the same bit: ip prints `filter` whenever it prints `pi`.
  if (t.pi) words.push('pi');
  if (t.multiQueue) words.push('multi_queue');
  if (t.vnetHdr) words.push('vnet_hdr');
  if (t.persist) words.push('persist');
  if (t.pi) words.push('filter');
  return words;
}

async function execute(c: TuntapCommand, ctx: CliContext, label: string): Promise<void> {
  const links = new Links(ctx.connect(NetlinkProtocol.NETLINK_ROUTE));
  switch (c.verb) {
    case 'add':
      try {
        return await links.createTun(c.options);
      } catch (err) {
        if ((err as { code?: string }).code === 'EBUSY') throw new CommandFailure(label, c.options.name, 'a link of that name already exists', 'EBUSY');
        throw err;
      }
    case 'delete': {
      const link = await links.get(c.name);
      if (link === undefined) throw new CommandFailure(label, c.name, 'no such device', 'ENODEV');
      if (link.kind !== 'tun' || link.tun === undefined) throw new CommandFailure(label, c.name, `not a tun/tap device (it is ${link.kind ?? 'a device without a kind'})`);
      if (link.tun.type !== c.mode) throw new CommandFailure(label, `mode ${c.mode}`, `${c.name} is a ${String(link.tun.type)} device`);
      return links.delete(link.index);
    }
    case 'show': {
      const devices = (await links.list({ kind: 'tun' })).filter((l) => l.tun !== undefined && (c.name === undefined || l.name === c.name) && (c.mode === undefined || l.tun.type === c.mode));
      if (ctx.json) {
        ctx.out(ipJsonText(devices.map((l) => ({ ifname: l.name, flags: flagWords(l), ...(l.tun!.owner !== undefined ? { user: l.tun!.owner } : {}), ...(l.tun!.group !== undefined ? { group: l.tun!.group } : {}) })), ctx.pretty));
        return;
      }
      for (const l of devices) {
        const owner = l.tun!.owner !== undefined ? ` user ${l.tun!.owner}` : '';
        const group = l.tun!.group !== undefined ? ` group ${l.tun!.group}` : '';
        ctx.out(`${l.name}: ${flagWords(l).join(' ')}${owner}${group}`);
      }
    }
  }
}
