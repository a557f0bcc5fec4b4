/**
 * Hook names and priorities as nft spells them. A hook number means different things per
 * family (0 is `prerouting` for ip but `ingress` for netdev), so names are resolved with the
 * family. Named priorities are nft's standard ones (`srcnat` = 100 …), which depend on the
 * family for bridge.
 */
import { ValidationError } from '../netlink/errors.js';
import { NfArpHook, NfInetHook, NfNetdevHook, type TableFamily } from './constants.js';
import type { NfFamily } from './nfgenmsg.js';

export type InetHookName = keyof typeof NfInetHook;
export type NetdevHookName = keyof typeof NfNetdevHook;
export type ArpHookName = keyof typeof NfArpHook;
export type HookName = InetHookName | NetdevHookName | ArpHookName;

/** The hooks each family offers to base chains. */
const HOOKS: Record<TableFamily, Record<string, number>> = {
  ip: pick(NfInetHook, ['prerouting', 'input', 'forward', 'output', 'postrouting']),
  ip6: pick(NfInetHook, ['prerouting', 'input', 'forward', 'output', 'postrouting']),
  inet: NfInetHook,
  bridge: pick(NfInetHook, ['prerouting', 'input', 'forward', 'output', 'postrouting']),
  arp: NfArpHook,
  netdev: NfNetdevHook,
};

function pick<T extends Record<string, number>>(table: T, keys: (keyof T & string)[]): Record<string, number> {
  return Object.fromEntries(keys.map((k) => [k, table[k] as number]));
}

/** Hook number of `name` in `family`. @throws ValidationError for a hook the family lacks. */
export function hookNumber(family: TableFamily, name: HookName | number, path = 'hook'): number {
  if (typeof name === 'number') {
    if (!Number.isInteger(name) || name < 0) throw new ValidationError(path, 'must be a hook name or a non-negative integer', name);
    return name;
  }
  const n = HOOKS[family]?.[name];
  if (n === undefined) throw new ValidationError(path, `${family} has no hook '${name}' (one of ${Object.keys(HOOKS[family] ?? {}).join(', ')})`, name);
  return n;
}

/** nft's name of hook number `n` in `family`, or the number when unknown. */
export function hookName(family: NfFamily, n: number): HookName | number {
  const table = typeof family === 'string' && family !== 'unspec' ? HOOKS[family] : undefined;
  for (const [name, value] of Object.entries(table ?? {})) if (value === n) return name as HookName;
  return n;
}

/** nft's standard priority names (ip, ip6, inet, arp, netdev). */
export const NftPriority = {
  raw: -300,
  mangle: -150,
  dstnat: -100,
  filter: 0,
  security: 50,
  srcnat: 100,
} as const;

/** nft's standard priority names for the bridge family. */
export const NftBridgePriority = {
  dstnat: -300,
  filter: -200,
  out: 100,
  srcnat: 300,
} as const;

export type PriorityName = keyof typeof NftPriority | keyof typeof NftBridgePriority;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The numeric priority of a name or number. @throws ValidationError */
export function priorityNumber(family: TableFamily, priority: PriorityName | number, path = 'priority'): number {
  if (typeof priority === 'number') {
    if (!Number.isInteger(priority) || priority < INT32_MIN || priority > INT32_MAX) throw new ValidationError(path, 'must be a 32-bit signed integer', priority);
    return priority;
  }
  const table: Record<string, number> = family === 'bridge' ? NftBridgePriority : NftPriority;
  const n = table[priority];
  if (n === undefined) throw new ValidationError(path, `unknown priority '${priority}' for ${family} (one of ${Object.keys(table).join(', ')})`, priority);
  return n;
}
