/**
 * bitwise: `dreg = (sreg & mask) ^ xor` over `len` bytes (how nft matches prefixes and flag
 * bits), or a shift by `data` bits, or (newer kernels) and/or/xor with a second register.
 * `[ bitwise reg 1 = ( reg 1 & 0x00000006 ) ^ 0x00000000 ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { enumOf, u32be } from '../../netlink/fields.js';
import { BitwiseOp, NftaBitwise } from './constants.js';
import { dataCodec, describeValue } from './data.js';
import { defineExpression, requireKeys, type ExpressionOf } from './definition.js';
import { registerCodec } from './registers.js';

const BOOLEAN_SYMBOL: Record<string, string> = { and: '&', or: '|', xor: '^' };
const SHIFT_SYMBOL: Record<string, string> = { lshift: '<<', rshift: '>>' };

/** Attributes every value must have (a constant: validate runs for every expression encoded or decoded). */
const REQUIRED = ['sreg', 'dreg', 'len'];

export const bitwise = defineExpression({
  name: 'bitwise',
  data: defineAttributeSet('bitwise', {
    sreg: { type: NftaBitwise.NFTA_BITWISE_SREG, codec: registerCodec }, // NFTA_BITWISE_SREG
    dreg: { type: NftaBitwise.NFTA_BITWISE_DREG, codec: registerCodec }, // NFTA_BITWISE_DREG
    op: { type: NftaBitwise.NFTA_BITWISE_OP, codec: enumOf(u32be, BitwiseOp) }, // NFTA_BITWISE_OP (absent: mask_xor)
    len: { type: NftaBitwise.NFTA_BITWISE_LEN, codec: u32be }, // NFTA_BITWISE_LEN (bytes)
    mask: { type: NftaBitwise.NFTA_BITWISE_MASK, codec: dataCodec }, // NFTA_BITWISE_MASK
    xor: { type: NftaBitwise.NFTA_BITWISE_XOR, codec: dataCodec }, // NFTA_BITWISE_XOR
    data: { type: NftaBitwise.NFTA_BITWISE_DATA, codec: dataCodec }, // NFTA_BITWISE_DATA (shift amount, or the other operand)
    sreg2: { type: NftaBitwise.NFTA_BITWISE_SREG2, codec: registerCodec }, // NFTA_BITWISE_SREG2
  }),
  describe(v) {
    const head = `reg ${v.dreg ?? 0} = ( reg ${v.sreg ?? 0}`;
    const op = v.op ?? 'mask_xor';
    if (op === 'mask_xor') return `${head} & ${describeValue(v.mask?.value)} ) ^ ${describeValue(v.xor?.value)}`;
    if (typeof op === 'string' && SHIFT_SYMBOL[op]) return `${head} ${SHIFT_SYMBOL[op]} ${describeValue(v.data?.value)} )`;
    if (typeof op === 'string' && BOOLEAN_SYMBOL[op]) {
      const other = v.sreg2 !== undefined ? `reg ${v.sreg2}` : describeValue(v.data?.value);
      return `${head} ${BOOLEAN_SYMBOL[op]} ${other} )`;
    }
    return `${head} op ${op} )`;
  },
  validate: (v) => requireKeys(v, REQUIRED),
});
export type BitwiseExpression = ExpressionOf<typeof bitwise>;
