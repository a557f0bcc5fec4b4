/**
 * Chain priorities as `nft list` prints them: the standard name when the number is within 10
 * of one that is valid for the chain's family and hook (`srcnat`, `filter + 10`, `dstnat - 5`),
 * the number otherwise (`-100` for a nat output chain: dstnat belongs to prerouting).
 */
import type { NfFamily } from '../../../nft/nfgenmsg.js';
import { NftBridgePriority, NftPriority } from '../../../nft/hooks.js';
import { NfInetHook } from '../../../nft/constants.js';

/** nft prints a standard name for priorities at most this far from it. */
const NAMED_RANGE = 10;

/** Whether nft accepts (and so prints) the standard priority `name` for this family and hook. */
function compatible(name: string, family: NfFamily, hook: number): boolean {
  if (family === 'netdev') return name === 'filter';
  if (name === 'dstnat') return hook === NfInetHook.prerouting;
  if (name === 'srcnat') return hook === NfInetHook.postrouting;
  return true;
}

/** `srcnat`, `filter + 10`, `-100` … */
export function priorityText(family: NfFamily, hook: number, priority: number): string {
  const table: Record<string, number> = family === 'bridge' ? NftBridgePriority : NftPriority;
  for (const [name, value] of Object.entries(table)) {
    const gap = priority - value;
    if (Math.abs(gap) > NAMED_RANGE) continue;
    if (!compatible(name, family, hook)) break;
    return gap === 0 ? name : `${name} ${gap > 0 ? '+' : '-'} ${Math.abs(gap)}`;
  }
  return String(priority);
}
