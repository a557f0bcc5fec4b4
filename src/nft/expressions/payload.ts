/**
 * payload: load bytes of a packet header into a register, or write a register into the
 * packet (with the checksum fix-up to apply). `[ payload load 4b @ network header + 12 => reg 1 ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { enumOf, u32be } from '../../netlink/fields.js';
import { checkedFlagsOf } from './checked-flags.js';
import { NftaPayload, PayloadBase, PayloadCsumFlags, PayloadCsumType } from './constants.js';
import { defineExpression, flagBits, hex, nameOr, requireKeys, words, type ExpressionOf } from './definition.js';
import { registerCodec } from './registers.js';

/** Attributes every value must have (a constant: validate runs for every expression encoded or decoded). */
const REQUIRED = ['base', 'offset', 'len'];

export const payload = defineExpression({
  name: 'payload',
  data: defineAttributeSet('payload', {
    sreg: { type: NftaPayload.NFTA_PAYLOAD_SREG, codec: registerCodec }, // NFTA_PAYLOAD_SREG (write)
    dreg: { type: NftaPayload.NFTA_PAYLOAD_DREG, codec: registerCodec }, // NFTA_PAYLOAD_DREG (load)
    base: { type: NftaPayload.NFTA_PAYLOAD_BASE, codec: enumOf(u32be, PayloadBase) }, // NFTA_PAYLOAD_BASE
    offset: { type: NftaPayload.NFTA_PAYLOAD_OFFSET, codec: u32be }, // NFTA_PAYLOAD_OFFSET (bytes)
    len: { type: NftaPayload.NFTA_PAYLOAD_LEN, codec: u32be }, // NFTA_PAYLOAD_LEN (bytes)
    csumType: { type: NftaPayload.NFTA_PAYLOAD_CSUM_TYPE, codec: enumOf(u32be, PayloadCsumType) }, // NFTA_PAYLOAD_CSUM_TYPE
    csumOffset: { type: NftaPayload.NFTA_PAYLOAD_CSUM_OFFSET, codec: u32be }, // NFTA_PAYLOAD_CSUM_OFFSET
    csumFlags: { type: NftaPayload.NFTA_PAYLOAD_CSUM_FLAGS, codec: checkedFlagsOf(u32be, PayloadCsumFlags) }, // NFTA_PAYLOAD_CSUM_FLAGS
  }),
  describe(v) {
    const where = `${v.len ?? 0}b @ ${nameOr(v.base)} header + ${v.offset ?? 0}`;
    if (v.sreg) {
      const csum = typeof v.csumType === 'number' ? v.csumType : PayloadCsumType[v.csumType ?? 'none'];
      return words(`write reg ${v.sreg} => ${where}`, `csum_type ${csum} csum_off ${v.csumOffset ?? 0}`, `csum_flags ${hex(flagBits(v.csumFlags, PayloadCsumFlags))}`);
    }
    return `load ${where} => reg ${v.dreg ?? 0}`;
  },
  validate(v) {
    if ((v.sreg === undefined) === (v.dreg === undefined)) return 'needs exactly one of dreg (load) and sreg (write)';
    return requireKeys(v, REQUIRED);
  },
});
export type PayloadExpression = ExpressionOf<typeof payload>;
