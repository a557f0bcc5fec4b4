/**
 * exthdr: load (or write) bytes of an IPv6 extension header, a TCP option, an IPv4 option, an
 * SCTP chunk or a DCCP option, found by its type; with the `present` flag only whether it
 * exists. `[ exthdr load tcpopt 2b @ 2 + 2 => reg 1 ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { enumOf, u32be, u8 } from '../../netlink/fields.js';
import { checkedFlagsOf } from './checked-flags.js';
import { ExthdrFlags, ExthdrOp, NftaExthdr } from './constants.js';
import { defineExpression, flagBits, type ExpressionOf } from './definition.js';
import { registerCodec } from './registers.js';

/** libnftnl names only these operations; the others print nothing. */
const PRINTED_OPS: Record<string, string> = { tcpopt: ' tcpopt', ipv6: ' ipv6', ipv4: ' ipv4' };

export const exthdr = defineExpression({
  name: 'exthdr',
  data: defineAttributeSet('exthdr', {
    dreg: { type: NftaExthdr.NFTA_EXTHDR_DREG, codec: registerCodec }, // NFTA_EXTHDR_DREG (load)
    sreg: { type: NftaExthdr.NFTA_EXTHDR_SREG, codec: registerCodec }, // NFTA_EXTHDR_SREG (write)
    exthdrType: { type: NftaExthdr.NFTA_EXTHDR_TYPE, codec: u8 }, // NFTA_EXTHDR_TYPE (header, option or chunk type; `type` is the expression's own key)
    offset: { type: NftaExthdr.NFTA_EXTHDR_OFFSET, codec: u32be }, // NFTA_EXTHDR_OFFSET
    len: { type: NftaExthdr.NFTA_EXTHDR_LEN, codec: u32be }, // NFTA_EXTHDR_LEN
    op: { type: NftaExthdr.NFTA_EXTHDR_OP, codec: enumOf(u32be, ExthdrOp) }, // NFTA_EXTHDR_OP (absent: ipv6)
    flags: { type: NftaExthdr.NFTA_EXTHDR_FLAGS, codec: checkedFlagsOf(u32be, ExthdrFlags) }, // NFTA_EXTHDR_FLAGS
  }),
  describe(v) {
    const op = v.op ?? 'ipv6';
    const opName = typeof op === 'string' ? (PRINTED_OPS[op] ?? '') : '';
    const at = `${v.len ?? 0}b @ ${v.exthdrType ?? 0} + ${v.offset ?? 0}`;
    if (v.dreg !== undefined) return `load${opName} ${at}${flagBits(v.flags, ExthdrFlags) & ExthdrFlags.present ? ' present' : ''} => reg ${v.dreg}`;
    if (v.sreg !== undefined) return `write${opName} reg ${v.sreg} => ${at}`;
    if (op === 'tcpopt' && (v.len ?? 0) === 0) return `reset tcpopt ${v.exthdrType ?? 0}`;
    const opNumber = typeof op === 'number' ? op : ExthdrOp[op];
    return `op ${opNumber} len ${v.len ?? 0} type ${v.exthdrType ?? 0} offset ${v.offset ?? 0}`;
  },
});
export type ExthdrExpression = ExpressionOf<typeof exthdr>;
