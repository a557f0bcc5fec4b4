/**
 * nf_tables expressions: one module per expression, an explicit registry, the codecs for one
 * expression and for a rule's list of them, and the `nft --debug=netlink` description.
 */
export * from './constants.js';
export { dataCodec, dataValueCodec, verdictCodec, verdict, value, describeData, describeValue, describeVerdict, type Data, type Verdict } from './data.js';
export { defineExpression, type ExpressionDefinition, type ExpressionOf } from './definition.js';
export { expressionCodec, expressionListCodec, describeExpression, type Expression, type ExpressionType, type OpaqueExpression } from './expression.js';
export { constantExpression } from './constant.js';
export { expressionDefinition, expressionDefinitions, type ModelledDefinition } from './registry.js';
export { registerCodec, registerSlot } from './registers.js';
export { payload, type PayloadExpression } from './payload.js';
export { cmp, type CmpExpression } from './cmp.js';
export { meta, type MetaExpression } from './meta.js';
export { immediate, type ImmediateExpression } from './immediate.js';
export { bitwise, type BitwiseExpression } from './bitwise.js';
export { range, type RangeExpression } from './range.js';
export { lookup, type LookupExpression } from './lookup.js';
export { ct, type CtExpression } from './ct.js';
export { nat, type NatExpression } from './nat.js';
export { masq, type MasqExpression } from './masq.js';
export { redir, type RedirExpression } from './redir.js';
export { counter, type CounterExpression } from './counter.js';
export { limit, timeUnit, type LimitExpression } from './limit.js';
export { log, type LogExpression } from './log.js';
export { reject, type RejectExpression } from './reject.js';
export { fib, type FibExpression } from './fib.js';
export { exthdr, type ExthdrExpression } from './exthdr.js';
export { quota, type QuotaExpression } from './quota.js';
export { notrack, type NotrackExpression } from './notrack.js';
export { dynset, type DynsetExpression, type NestedExpression } from './dynset.js';
export { objref, type ObjrefExpression } from './objref.js';
