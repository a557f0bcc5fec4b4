/**
 * nft's "typeof" userdata (NFTNL_UDATA_SET_KEY_TYPEOF / _DATA_TYPEOF): how nft records the
 * expression a set's keys come from, so a listing can name them. Nested TLVs of one-byte type
 * and length: {0: expression kind, 1: {kind-specific fields}}, u32 values in host order.
 */
import { CtKey, MetaKey, type CtKeyName, type MetaKeyName } from '../../expressions/constants.js';
import { FibFlags, FibResult } from '../../expressions/constants.js';
import { HEADER_PROTOCOLS, type HeaderProtocolName } from '../../render/fields.js';
import { HOST_LITTLE_ENDIAN } from '../../render/bytes.js';

/** nft's expression kinds (enum expr_types) that appear in typeof userdata. */
const ExprKind = {
  verdict: 1, // EXPR_VERDICT
  payload: 7, // EXPR_PAYLOAD
  meta: 9, // EXPR_META
  ct: 12, // EXPR_CT
  concat: 13, // EXPR_CONCAT
  fib: 26, // EXPR_FIB
} as const;

/** nft's protocol description ids (enum proto_desc_id). */
const ProtoDesc: Readonly<Partial<Record<HeaderProtocolName, number>>> = {
  icmp: 4, // PROTO_DESC_ICMP
  udp: 6, // PROTO_DESC_UDP
  udplite: 7, // PROTO_DESC_UDPLITE
  tcp: 8, // PROTO_DESC_TCP
  dccp: 9, // PROTO_DESC_DCCP
  sctp: 10, // PROTO_DESC_SCTP
  th: 11, // PROTO_DESC_TH
  ip: 12, // PROTO_DESC_IP
  ip6: 13, // PROTO_DESC_IP6
  icmpv6: 14, // PROTO_DESC_ICMPV6
  ether: 17, // PROTO_DESC_ETHER
};

/** No conntrack direction given (nft stores -1). */
const NO_DIRECTION = 0xffffffff;
const U32 = 4;

function u32(n: number): Uint8Array {
  const out = new Uint8Array(U32);
  new DataView(out.buffer).setUint32(0, n >>> 0, HOST_LITTLE_ENDIAN);
  return out;
}

function tlv(type: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + value.length);
  out[0] = type;
  out[1] = value.length;
  out.set(value, 2);
  return out;
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function expression(kind: number, fields: Uint8Array[]): Uint8Array {
  return join([tlv(0, u32(kind)), tlv(1, join(fields))]);
}

export function typeofPayload(protocol: HeaderProtocolName, field: string): Uint8Array | undefined {
  const desc = ProtoDesc[protocol];
  // nft's header templates are numbered from 1 in the order the renderer's table lists them.
  const template = Object.keys(HEADER_PROTOCOLS[protocol].fields).indexOf(field) + 1;
  return desc === undefined ? undefined : expression(ExprKind.payload, [tlv(0, u32(desc)), tlv(1, u32(template))]);
}

export function typeofMeta(key: MetaKeyName): Uint8Array {
  return expression(ExprKind.meta, [tlv(0, u32(MetaKey[key]))]);
}

export function typeofCt(key: CtKeyName, direction: 'original' | 'reply' | undefined): Uint8Array {
  const dir = direction === undefined ? NO_DIRECTION : direction === 'original' ? 0 : 1;
  return expression(ExprKind.ct, [tlv(0, u32(CtKey[key])), tlv(1, u32(dir))]);
}

export function typeofFib(result: keyof typeof FibResult, flags: ReadonlyArray<keyof typeof FibFlags>): Uint8Array {
  const bits = flags.reduce((n, f) => n | FibFlags[f], 0);
  return expression(ExprKind.fib, [tlv(0, u32(FibResult[result])), tlv(1, u32(bits))]);
}

export function typeofConcat(parts: readonly Uint8Array[]): Uint8Array {
  return expression(ExprKind.concat, parts.map((p, i) => tlv(i, p)));
}

/** A verdict map's data-typeof. */
export const TYPEOF_VERDICT: Uint8Array = expression(ExprKind.verdict, []);
