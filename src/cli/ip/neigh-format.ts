/** Neighbour entries as `ip neigh show` prints them (ip -j keys; states in capitals). */
import { escapeForDisplay } from '../../netlink/text.js';
import type { Neighbour } from '../../route/neighbours.js';
import type { IpJson } from './json.js';
import type { LinkNames } from './names.js';

type JsonObject = { [key: string]: IpJson | undefined };

/** NTF_* flags ip prints as words (JSON: the key with null), in its order. */
const FLAG_WORDS = ['router', 'proxy', 'extern_learn', 'offload'] as const;

function states(n: Neighbour): string[] {
  if (n.state.length === 0) return ['NONE'];
  return n.state.map((s) => (typeof s === 'string' ? s.toUpperCase() : `0x${s.toString(16)}`));
}

const isProxy = (n: Neighbour): boolean => n.flags.includes('proxy');

/** `filteredDev`: the listing was for one device, which ip then leaves out. */
export function neighJson(n: Neighbour, names: LinkNames, filteredDev = false): JsonObject {
  const j: JsonObject = { dst: n.address };
  if (!filteredDev) j.dev = names.name(n.ifindex);
  j.lladdr = n.lladdr;
  for (const f of FLAG_WORDS) if (n.flags.includes(f)) j[f] = null;
  if (!isProxy(n)) j.state = states(n);
  return j;
}

export function neighText(n: Neighbour, names: LinkNames, filteredDev = false): string {
  const out = [n.address];
  if (!filteredDev) out.push(`dev ${escapeForDisplay(names.name(n.ifindex))}`);
  if (n.lladdr !== undefined) out.push(`lladdr ${n.lladdr}`);
  for (const f of FLAG_WORDS) if (n.flags.includes(f)) out.push(f);
  if (!isProxy(n)) out.push(states(n).join(','));
  return out.join(' ');
}
