/**
 * The NF_NAT_RANGE_* flags field shared by nat, masq and redir.
 */
import type { FieldCodec } from '../../netlink/field.js';
import { u32be } from '../../netlink/fields.js';
import { checkedFlagsOf } from './checked-flags.js';
import { NatRangeFlags, type NatRangeFlagName } from './constants.js';
import { flagBits, hex } from './definition.js';

export const natFlagsCodec: FieldCodec<Array<NatRangeFlagName | number>> = checkedFlagsOf(u32be, NatRangeFlags);

/** `flags 0x…` as libnftnl prints it, or nothing when the attribute is absent. */
export function describeNatFlags(flags: ReadonlyArray<string | number> | undefined): string | undefined {
  return flags === undefined ? undefined : `flags ${hex(flagBits(flags, NatRangeFlags))}`;
}
