/**
 * MAC spoof checking (`macspoofchk`, as the reference bridge plugin names it): frames the
 * container sends into the bridge must carry its interface's MAC address as their source.
 * Checked where the bridge sees them, in a bridge-family table of the same name as the
 * plugin's inet table:
 *
 *   table bridge netns-ts-cni {
 *     chain prerouting { type filter hook prerouting priority dstnat; policy accept; }
 *       # one rule per attachment:
 *       iifname "veth1a2b3c4d5e6" ether saddr != 0a:58:0a:f4:01:02 counter drop comment "netns-ts-cni …"
 *   }
 *
 * One rule per attachment, with the attachment's comment like its NAT rules, so DEL, CHECK and
 * GC find it the same way. The reference plugin spreads the same check over two chains per
 * attachment (a jump, then `ether saddr MAC return` and `drop`); one rule says the same and
 * leaves nothing to clean up but itself. Pure: nothing is sent.
 */
import { counter, matchInInterface } from '../api/nat/matches.js';
import { parseLinkAddress } from '../netlink/addresses.js';
import { validateMac } from '../route/link-validate.js';
import { addChain } from '../nft/chain-commands.js';
import type { NftCommand } from '../nft/command.js';
import { NftRegister } from '../nft/expressions/constants.js';
import type { Expression } from '../nft/expressions/expression.js';
import { addTable } from '../nft/table-commands.js';

export const MAC_TABLE_FAMILY = 'bridge' as const;
/** The base chain holding the checks: before the bridge forwards or delivers the frame. */
export const MAC_CHAIN = 'prerouting';
/** The source address in the Ethernet header: bytes 6–11. */
const ETHER_SADDR = { offset: 6, len: 6 } as const;
const REG = NftRegister.NFT_REG_1;

/** What the check needs to know of an attachment. */
export interface MacCheck {
  /** The host end of the attachment's veth: frames from the container enter the bridge there. */
  hostVeth: string;
  /** The container interface's MAC address (`0a:58:…`). */
  mac: string;
}

/** @throws ValidationError for anything but a unicast Ethernet address. */
function macBytes(mac: string): Uint8Array {
  return parseLinkAddress(validateMac(mac, 'mac', { ethernet: true }), 'mac');
}

/** `iifname "HOSTVETH" ether saddr != MAC counter drop` */
export function macCheckExpressions(check: MacCheck): Expression[] {
  return [
    ...matchInInterface(check.hostVeth),
    { type: 'payload', dreg: REG, base: 'link', ...ETHER_SADDR },
    { type: 'cmp', sreg: REG, op: 'neq', data: { value: macBytes(check.mac) } },
    ...counter(),
    { type: 'immediate', dreg: NftRegister.NFT_REG_VERDICT, data: { verdict: { code: 'drop' } } },
  ];
}

/** The bridge table and its chain: declared by every ADD that checks MACs (no-ops when they exist). */
export function macTableCommands(table: string): NftCommand[] {
  const family = MAC_TABLE_FAMILY;
  return [addTable({ family, name: table }), addChain({ family, table, name: MAC_CHAIN, type: 'filter', hook: 'prerouting', priority: 'dstnat', policy: 'accept' })];
}
