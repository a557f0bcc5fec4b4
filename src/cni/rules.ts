/**
 * The nf_tables rules of one attachment, all in netns-ts's own table `inet netns-ts-cni`:
 *
 *   table inet netns-ts-cni {
 *     chain prerouting  { type nat hook prerouting priority dstnat; }   # jump cni-ID  (from other hosts)
 *     chain output      { type nat hook output priority dstnat; }       # jump cni-ID  (from this host)
 *     chain postrouting { type nat hook postrouting priority srcnat; }  # masquerade rules
 *     chain cni-ID      { … dnat rules of the attachment's port mappings … }
 *   }
 *
 * With `macspoofchk`, the attachment also has one rule in the bridge table of the same name
 * (mac-check.ts). Every rule carries the attachment's comment (attachment.ts), so DEL and GC
 * find exactly one attachment's rules in a listing. The expressions come from the NAT
 * building blocks of the high-level API (src/api/nat), in nft's exact form, so
 * `nft list ruleset` reads naturally. Pure: these functions build commands; nothing is sent.
 */
import { parsePrefix, type IpFamily, type ParsedPrefix } from '../netlink/addresses.js';
import { counter, masquerade, matchAddress, matchDnatted, matchFamily } from '../api/nat/matches.js';
import { forwardRules } from '../api/nat/table.js';
import type { ResolvedForward } from '../api/topology/resolved.js';
import { addChain } from '../nft/chain-commands.js';
import type { NftCommand } from '../nft/command.js';
import { NftRegister } from '../nft/expressions/constants.js';
import type { Expression } from '../nft/expressions/expression.js';
import { addRule } from '../nft/rule-commands.js';
import { addTable } from '../nft/table-commands.js';
import { attachmentChain } from './attachment.js';
import { MAC_CHAIN, MAC_TABLE_FAMILY, macCheckExpressions, macTableCommands, type MacCheck } from './mac-check.js';

export const CNI_TABLE_FAMILY = 'inet' as const;
export const CNI_TABLE = 'netns-ts-cni';
export const BASE_CHAINS = {
  prerouting: { hook: 'prerouting', priority: 'dstnat' },
  output: { hook: 'output', priority: 'dstnat' },
  postrouting: { hook: 'postrouting', priority: 'srcnat' },
} as const;
export type BaseChain = keyof typeof BASE_CHAINS;

/** Destinations masquerading leaves alone: multicast stays link-local (as the reference plugin). */
const MULTICAST: Record<IpFamily, ParsedPrefix> = { 4: parsePrefix('224.0.0.0/4'), 6: parsePrefix('ff00::/8') };
/** Host-local clients of a mapped port (IPv4 only: IPv6 has no route_localnet). */
const LOOPBACK = parsePrefix('127.0.0.0/8');
const HOST_BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** What one attachment needs in nf_tables. */
export interface AttachmentRules {
  id: string;
  comment: string;
  /** The container's addresses, each with its subnet's prefix length (`10.22.0.5/16`). */
  addresses: readonly ParsedPrefix[];
  /** Masquerade the container's traffic that leaves its subnet. */
  ipMasq: boolean;
  /** Port mappings, one per mapping and address family. */
  forwards: readonly ResolvedForward[];
  /** Masquerade hairpin and host-local connections to mapped ports. */
  snat: boolean;
  /** Drop frames from the container whose source MAC is not its own (macspoofchk). */
  macCheck?: MacCheck | undefined;
}

/** One rule as it should be in the kernel. */
export interface ExpectedRule {
  /** The table's family: the NAT rules' `inet`, or `bridge` for the MAC check. */
  family: typeof CNI_TABLE_FAMILY | typeof MAC_TABLE_FAMILY;
  chain: string;
  expressions: Expression[];
  comment: string;
}

const host = (p: ParsedPrefix): ParsedPrefix => ({ ...p, prefixLength: HOST_BITS[p.family] });

/** `jump CHAIN` */
function jump(chain: string): Expression[] {
  return [{ type: 'immediate', dreg: NftRegister.NFT_REG_VERDICT, data: { verdict: { code: 'jump', chain } } }];
}

/** `ip saddr ADDR ip daddr != SUBNET ip daddr != 224.0.0.0/4 counter masquerade` */
function egressMasquerade(a: ParsedPrefix): Expression[] {
  return [
    ...matchFamily(a.family),
    ...matchAddress('saddr', host(a)),
    ...matchAddress('daddr', a, 'neq'),
    ...matchAddress('daddr', MULTICAST[a.family], 'neq'),
    ...counter(),
    ...masquerade(),
  ];
}

/** `ct status dnat ip saddr FROM ip daddr ADDR counter masquerade`: replies come back through the host. */
function mappedMasquerade(from: ParsedPrefix, to: ParsedPrefix): Expression[] {
  return [...matchFamily(to.family), ...matchDnatted(), ...matchAddress('saddr', from), ...matchAddress('daddr', host(to)), ...counter(), ...masquerade()];
}

/** Every rule of the attachment, in the order ADD adds them. */
export function expectedRules(a: AttachmentRules): ExpectedRule[] {
  const out: ExpectedRule[] = [];
  const rule = (chain: string, expressions: Expression[]): void => {
    out.push({ family: CNI_TABLE_FAMILY, chain, expressions, comment: a.comment });
  };
  if (a.forwards.length > 0) {
    const chain = attachmentChain(a.id);
    for (const f of a.forwards) for (const expressions of forwardRules(f)) rule(chain, expressions);
    rule('prerouting', jump(chain));
    rule('output', jump(chain));
    if (a.snat) {
      const families = new Set(a.forwards.map((f) => f.family));
      for (const addr of a.addresses) {
        if (!families.has(addr.family)) continue;
        // Hairpin: a neighbour on the bridge reaching this container through a host address.
        rule('postrouting', mappedMasquerade(addr, addr));
        if (addr.family === 4) rule('postrouting', mappedMasquerade(LOOPBACK, addr));
      }
    }
  }
  if (a.ipMasq) for (const addr of a.addresses) rule('postrouting', egressMasquerade(addr));
  if (a.macCheck) out.push({ family: MAC_TABLE_FAMILY, chain: MAC_CHAIN, expressions: macCheckExpressions(a.macCheck), comment: a.comment });
  return out;
}

/**
 * The table and its base chains: declared by every ADD (no-ops when they exist), and the
 * bridge table with its chain when the attachment checks MACs.
 */
export function tableCommands(withMacCheck = false): NftCommand[] {
  const family = CNI_TABLE_FAMILY;
  const table = CNI_TABLE;
  const out: NftCommand[] = [addTable({ family, name: table })];
  for (const [name, { hook, priority }] of Object.entries(BASE_CHAINS)) {
    out.push(addChain({ family, table, name, type: 'nat', hook, priority, policy: 'accept' }));
  }
  if (withMacCheck) out.push(...macTableCommands(table));
  return out;
}

/** The commands that add the attachment's chain and rules (after {@link tableCommands}). */
export function addAttachmentCommands(a: AttachmentRules): NftCommand[] {
  const rules = expectedRules(a);
  const out: NftCommand[] = [];
  if (a.forwards.length > 0) out.push(addChain({ family: CNI_TABLE_FAMILY, table: CNI_TABLE, name: attachmentChain(a.id) }));
  for (const r of rules) out.push(addRule({ family: r.family, table: CNI_TABLE, chain: r.chain, expressions: r.expressions, comment: r.comment }));
  return out;
}
