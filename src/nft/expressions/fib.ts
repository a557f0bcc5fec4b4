/**
 * fib: look the packet up in the routing table (by source or destination address, optionally
 * with mark and interface) and load the output interface, its name, or the address type
 * (`fib daddr type local`). `[ fib daddr type => reg 1 ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { enumOf, u32be } from '../../netlink/fields.js';
import { checkedFlagsOf } from './checked-flags.js';
import { FibFlags, FibResult, NftaFib } from './constants.js';
import { defineExpression, flagBits, hex, nameOr, requireKeys, words, type ExpressionOf } from './definition.js';
import { registerCodec } from './registers.js';

/** The lookup keys, in the order libnftnl prints them. */
const KEYS = ['saddr', 'daddr', 'mark', 'iif', 'oif'] as const;

/** Attributes every value must have (a constant: validate runs for every expression encoded or decoded). */
const REQUIRED = ['dreg', 'result', 'flags'];

export const fib = defineExpression({
  name: 'fib',
  data: defineAttributeSet('fib', {
    flags: { type: NftaFib.NFTA_FIB_FLAGS, codec: checkedFlagsOf(u32be, FibFlags) }, // NFTA_FIB_FLAGS (NFTA_FIB_F_*)
    result: { type: NftaFib.NFTA_FIB_RESULT, codec: enumOf(u32be, FibResult) }, // NFTA_FIB_RESULT
    dreg: { type: NftaFib.NFTA_FIB_DREG, codec: registerCodec }, // NFTA_FIB_DREG
  }),
  describe(v) {
    const bits = flagBits(v.flags, FibFlags);
    const keys = KEYS.filter((k) => bits & FibFlags[k]).join(' . ');
    const rest = bits & ~(KEYS.reduce((n, k) => n | FibFlags[k], 0) | FibFlags.present);
    const present = bits & FibFlags.present ? ' present' : '';
    return words(keys, rest !== 0 && `unknown ${hex(rest)}`, `${nameOr(v.result)}${present} => reg ${v.dreg ?? 0}`);
  },
  validate: (v) => requireKeys(v, REQUIRED),
});
export type FibExpression = ExpressionOf<typeof fib>;
