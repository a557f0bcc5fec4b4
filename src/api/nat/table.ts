/**
 * The nf_tables table that holds a topology's NAT: masquerade for its subnets and port
 * forwards, all in one `inet` table of our own, rebuilt atomically in one batch per change.
 *
 *   table inet netns-ts-NAME {
 *     chain prerouting  { type nat hook prerouting priority dstnat; }   # forwards arriving from outside
 *     chain output      { type nat hook output priority dstnat; }       # forwards used by the host itself
 *     chain postrouting { type nat hook postrouting priority srcnat; }  # masquerade + hairpin
 *   }
 */
import { createHash } from 'node:crypto';
import { parseIp, type ParsedPrefix } from '../../netlink/addresses.js';
import type { NftCommand } from '../../nft/command.js';
import { addChain } from '../../nft/chain-commands.js';
import { addRule } from '../../nft/rule-commands.js';
import { addTable, deleteTable } from '../../nft/table-commands.js';
import type { Expression } from '../../nft/expressions/index.js';
import type { ResolvedForward, ResolvedMasquerade } from '../topology/resolved.js';
import { counter, dnatTo, masquerade, matchAddress, matchDnatted, matchFamily, matchLocalDestination, matchOutInterface, matchPort, matchProtocol } from './matches.js';

export const NAT_TABLE_FAMILY = 'inet' as const;

export interface NatSpec {
  /** Table name, e.g. `netns-ts-tutorial`. */
  table: string;
  masquerade: readonly ResolvedMasquerade[];
  forwards: readonly ResolvedForward[];
  /** Subnets whose members may reach forwards through the host address (hairpin). */
  hairpinSubnets: readonly ParsedPrefix[];
}

/** Masquerade traffic from `source` that leaves the subnet (traffic inside it keeps its address). */
export function masqueradeRule(m: ResolvedMasquerade): Expression[] {
  return [
    ...matchFamily(m.source.family),
    ...matchAddress('saddr', m.source),
    ...matchAddress('daddr', m.source, 'neq'),
    ...(m.outInterface ? matchOutInterface(m.outInterface) : []),
    ...counter(),
    ...masquerade(),
  ];
}

/** DNAT one forward: to the host's own addresses (or one of them), from anywhere or given prefixes. */
export function forwardRules(f: ResolvedForward): Expression[][] {
  const destination = f.hostAddress
    ? matchAddress('daddr', { family: f.family, address: f.hostAddress, bytes: parseIp(f.hostAddress).bytes, prefixLength: f.family === 4 ? 32 : 128 })
    : matchLocalDestination();
  const target = parseIp(f.toAddress).bytes;
  const sources = f.from.length > 0 ? f.from : [undefined];
  return sources.map((src) => [
    ...matchFamily(f.family),
    ...(src ? matchAddress('saddr', src) : []),
    ...destination,
    ...matchProtocol(f.protocol),
    ...matchPort('dport', f.ports),
    ...counter(),
    ...dnatTo(f.family, target, f.toPorts),
  ]);
}

/**
 * Hairpin: a namespace reaching a forward through the host's address gets its reply from the
 * target directly (they share the bridge) unless the host masquerades the forwarded flow.
 */
export function hairpinRule(subnet: ParsedPrefix): Expression[] {
  return [...matchFamily(subnet.family), ...matchDnatted(), ...matchAddress('saddr', subnet), ...matchAddress('daddr', subnet), ...counter(), ...masquerade()];
}

/** A digest of the spec, stored as the table's comment: equal digests mean nothing to change. */
export function natDigest(spec: NatSpec): string {
  const plain = JSON.stringify(spec, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
  return createHash('sha256').update(plain).digest('hex').slice(0, 16);
}

export function natComment(spec: NatSpec): string {
  return `netns-ts nat ${natDigest(spec)}`;
}

/**
 * The commands that replace the table with `spec`, for one atomic batch: declaring the table
 * first makes the delete safe when it does not exist yet (nft's `table x {}; delete table x`).
 */
export function natTableCommands(spec: NatSpec): NftCommand[] {
  const family = NAT_TABLE_FAMILY;
  const table = spec.table;
  const comment = natComment(spec);
  const cmds: NftCommand[] = [addTable({ family, name: table }), deleteTable({ family, name: table }), addTable({ family, name: table, comment })];
  const chain = (name: string, hook: 'prerouting' | 'output' | 'postrouting', priority: 'dstnat' | 'srcnat'): void => {
    cmds.push(addChain({ family, table, name, type: 'nat', hook, priority, policy: 'accept' }));
  };
  chain('prerouting', 'prerouting', 'dstnat');
  chain('output', 'output', 'dstnat');
  chain('postrouting', 'postrouting', 'srcnat');
  for (const f of spec.forwards) {
    for (const expressions of forwardRules(f)) {
      cmds.push(addRule({ family, table, chain: 'prerouting', expressions }));
      cmds.push(addRule({ family, table, chain: 'output', expressions }));
    }
  }
  if (spec.forwards.length > 0) for (const s of spec.hairpinSubnets) cmds.push(addRule({ family, table, chain: 'postrouting', expressions: hairpinRule(s) }));
  for (const m of spec.masquerade) cmds.push(addRule({ family, table, chain: 'postrouting', expressions: masqueradeRule(m) }));
  return cmds;
}

/** The commands that remove the table (no error if it is already gone). */
export function natTableRemoval(table: string): NftCommand[] {
  return [addTable({ family: NAT_TABLE_FAMILY, name: table }), deleteTable({ family: NAT_TABLE_FAMILY, name: table })];
}
