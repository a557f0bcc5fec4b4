/** `ip neigh …` against the kernel, through the Neighbours client. */
import { NetlinkProtocol } from '../../netlink/constants.js';
import { neighbourStateNames, NudState } from '../../netlink/route/neighbour.js';
import { Neighbours, type NeighbourFilter } from '../../route/neighbours.js';
import type { CliContext } from '../context.js';
import { withTokens } from '../failure.js';
import { ipJsonText } from './json.js';
import { LinkNames } from './names.js';
import { neighJson, neighText } from './neigh-format.js';
import { parseNeighCommand, type NeighCommand } from './neigh-parse.js';

export type NeighVerb = 'add' | 'change' | 'replace' | 'delete' | 'show' | 'flush';

export async function runNeigh(verb: NeighVerb, words: readonly string[], ctx: CliContext): Promise<number> {
  const label = `ip neigh ${verb}`;
  const { command, tokens } = parseNeighCommand(verb, words, label);
  await withTokens(label, tokens, () => execute(command, ctx));
  return 0;
}

function stateMask(states: readonly string[]): number {
  return states.reduce((m, s) => m | (s === 'none' ? 0 : neighbourStateNames[s as keyof typeof neighbourStateNames]), 0);
}

async function execute(c: NeighCommand, ctx: CliContext): Promise<void> {
  const conn = ctx.connect(NetlinkProtocol.NETLINK_ROUTE);
  const neighbours = new Neighbours(conn);
  switch (c.verb) {
    case 'add': return neighbours.add(c.input);
    case 'change': return neighbours.change(c.input);
    case 'replace': return neighbours.replace(c.input);
    case 'delete': return neighbours.delete(c.input);
    case 'flush': {
      const filter: Parameters<Neighbours['flush']>[0] = { proxy: c.proxy };
      if (c.dev !== undefined) filter.dev = c.dev;
      if (ctx.family !== undefined) filter.family = ctx.family;
      if (c.states !== undefined) filter.states = c.states;
      await neighbours.flush(filter);
      return;
    }
    case 'show': {
      const filter: NeighbourFilter = { proxy: c.proxy };
      if (c.dev !== undefined) filter.dev = c.dev;
      if (ctx.family !== undefined) filter.family = ctx.family;
      const names = await LinkNames.load(conn);
      let list = await neighbours.list(filter);
      if (c.to !== undefined) list = list.filter((n) => n.address === c.to);
      if (c.states !== undefined) {
        const mask = stateMask(c.states);
        const none = c.states.includes('none');
        list = list.filter((n) => (n.message.header.state === NudState.NUD_NONE ? none : (n.message.header.state & mask) !== 0));
      } else if (!c.all) {
        // As ip: entries that need no resolution (NOARP: multicast, loopback) are hidden unless asked for.
        list = list.filter((n) => (n.message.header.state & NudState.NUD_NOARP) === 0);
      }
      const byDev = c.dev !== undefined;
      if (ctx.json) ctx.out(ipJsonText(list.map((n) => neighJson(n, names, byDev)), ctx.pretty));
      else for (const n of list) ctx.out(neighText(n, names, byDev));
    }
  }
}
