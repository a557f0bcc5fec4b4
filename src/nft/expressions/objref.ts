/**
 * objref: use a named stateful object (counter, quota, limit …) — given by name, or chosen by
 * looking a register up in an object map. `[ objref type 1 name foo ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { enumOf, u32be } from '../../netlink/fields.js';
import { unterminatedString } from './strings.js';
import { NftObjectType } from '../constants.js';
import { NftaObjref } from './constants.js';
import { defineExpression, type ExpressionOf } from './definition.js';
import { registerCodec } from './registers.js';

export const objref = defineExpression({
  name: 'objref',
  data: defineAttributeSet('objref', {
    immType: { type: NftaObjref.NFTA_OBJREF_IMM_TYPE, codec: enumOf(u32be, NftObjectType) }, // NFTA_OBJREF_IMM_TYPE
    immName: { type: NftaObjref.NFTA_OBJREF_IMM_NAME, codec: unterminatedString }, // NFTA_OBJREF_IMM_NAME (nft sends it without NUL)
    setSreg: { type: NftaObjref.NFTA_OBJREF_SET_SREG, codec: registerCodec }, // NFTA_OBJREF_SET_SREG
    setName: { type: NftaObjref.NFTA_OBJREF_SET_NAME, codec: unterminatedString }, // NFTA_OBJREF_SET_NAME (nft sends it without NUL)
    setId: { type: NftaObjref.NFTA_OBJREF_SET_ID, codec: u32be }, // NFTA_OBJREF_SET_ID
  }),
  describe(v) {
    if (v.setSreg !== undefined) return `sreg ${v.setSreg} set ${v.setName ?? '(null)'}`;
    const type = v.immType === undefined ? 0 : typeof v.immType === 'number' ? v.immType : NftObjectType[v.immType];
    return `type ${type} name ${v.immName ?? '(null)'}`;
  },
});
export type ObjrefExpression = ExpressionOf<typeof objref>;
