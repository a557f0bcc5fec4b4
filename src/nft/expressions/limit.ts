/**
 * limit: rate limiting (token bucket) in packets or bytes per unit of time; the `inv` flag
 * makes it match once the rate is exceeded (`limit rate over …`).
 * `[ limit rate 10/minute burst 5 type packets flags 0x1 ]`.
 *
 * The attributes are those of the limit object (../object.ts), declared again here only
 * because the object's `type` key is this expression's discriminant: it is `limitType` here.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { binary, enumOf, u32be, u64be } from '../../netlink/fields.js';
import { checkedFlagsOf } from './checked-flags.js';
import { NftaLimit, NftLimitFlags, NftLimitType } from '../constants.js';
import { defineExpression, flagBits, hex, words, type ExpressionOf } from './definition.js';

/** libnftnl's time units: each divides the previous one. */
const TIME_UNITS: ReadonlyArray<{ size: bigint; name: string }> = [
  { size: 1n, name: 'second' },
  { size: 60n, name: 'minute' },
  { size: 60n, name: 'hour' },
  { size: 24n, name: 'day' },
  { size: 7n, name: 'week' },
];

/** The largest unit that divides `seconds`, and how many of it (libnftnl's get_time). */
export function timeUnit(seconds: bigint): { count: bigint; name: string } {
  let count = seconds;
  let i = 1;
  for (; i < TIME_UNITS.length; i++) {
    const size = TIME_UNITS[i]!.size;
    if (count % size !== 0n) break;
    count /= size;
  }
  return { count, name: TIME_UNITS[i - 1]!.name };
}

export const limit = defineExpression({
  name: 'limit',
  data: defineAttributeSet('limit', {
    rate: { type: NftaLimit.NFTA_LIMIT_RATE, codec: u64be }, // NFTA_LIMIT_RATE (packets or bytes per unit)
    unit: { type: NftaLimit.NFTA_LIMIT_UNIT, codec: u64be }, // NFTA_LIMIT_UNIT (seconds)
    burst: { type: NftaLimit.NFTA_LIMIT_BURST, codec: u32be }, // NFTA_LIMIT_BURST
    limitType: { type: NftaLimit.NFTA_LIMIT_TYPE, codec: enumOf(u32be, NftLimitType) }, // NFTA_LIMIT_TYPE
    flags: { type: NftaLimit.NFTA_LIMIT_FLAGS, codec: checkedFlagsOf(u32be, NftLimitFlags) }, // NFTA_LIMIT_FLAGS
    pad: { type: NftaLimit.NFTA_LIMIT_PAD, codec: binary }, // NFTA_LIMIT_PAD
  }),
  describe(v) {
    const { count, name } = timeUnit(v.unit ?? 0n);
    return words(
      `rate ${v.rate ?? 0n}/${count > 1n ? `${count} ` : ''}${name}`,
      `burst ${v.burst ?? 0}`,
      `type ${v.limitType === 'bytes' ? 'bytes' : 'packets'}`,
      `flags ${hex(flagBits(v.flags, NftLimitFlags))}`,
    );
  },
});
export type LimitExpression = ExpressionOf<typeof limit>;
