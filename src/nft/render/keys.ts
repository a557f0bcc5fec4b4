/**
 * Operands for the keys that expressions load by name rather than by header offset: meta,
 * ct, fib and TCP options (`meta l4proto`, `ct original ip saddr`, `fib daddr type`,
 * `tcp option maxseg size`).
 */
import type { CtExpression } from '../expressions/ct.js';
import type { ExthdrExpression } from '../expressions/exthdr.js';
import type { FibExpression } from '../expressions/fib.js';
import type { MetaExpression } from '../expressions/meta.js';
import { FibFlags } from '../expressions/constants.js';
import { flagBits } from '../expressions/definition.js';
import type { Datatype } from './datatypes.js';
import { CT_FIELDS, IPV6_EXTENSION_HEADERS, META_FIELDS, TCP_OPTIONS } from './fields.js';
import type { Layer, NamedOperand } from './operands.js';

/** Bytes a value of a datatype occupies in a register. */
export function sizeOfType(type: Datatype): number {
  switch (type) {
    case 'ifname': case 'string': case 'ipv6_addr': return 16;
    case 'inet_proto': case 'nf_proto': case 'pkttype': case 'ct_dir': case 'boolean': return 1;
    case 'ether_type': case 'iface_type': case 'inet_service': return 2;
    case 'ether_addr': return 6;
    default: return 4;
  }
}

/** Meta keys whose equality match selects a protocol layer (nft's EXPR_F_PROTOCOL). */
const META_DEFINES: Readonly<Record<string, Layer>> = { l4proto: 'transport', nfproto: 'network', protocol: 'network', iiftype: 'link' };

export function metaOperand(e: MetaExpression): NamedOperand | undefined {
  const field = typeof e.key === 'string' ? META_FIELDS[e.key] : undefined;
  if (!field) return undefined;
  const defines = META_DEFINES[e.key as string];
  return {
    kind: 'named',
    text: field.unqualified ? field.name : `meta ${field.name}`,
    type: field.type,
    order: field.order,
    size: sizeOfType(field.type),
    ...(defines ? { defines } : {}),
    raw: [e],
  };
}

export function ctOperand(e: CtExpression): NamedOperand | undefined {
  const field = typeof e.key === 'string' ? CT_FIELDS[e.key] : undefined;
  if (!field || typeof e.direction === 'number') return undefined;
  const direction = e.direction === undefined ? '' : `${e.direction} `;
  return { kind: 'named', text: `ct ${direction}${field.name}`, type: field.type, order: field.order, size: sizeOfType(field.type), raw: [e] };
}

/** The lookup keys of fib, in the order nft prints them. */
const FIB_KEYS = ['saddr', 'daddr', 'mark', 'iif', 'oif'] as const;
const FIB_RESULT_TYPES: Readonly<Record<string, Datatype>> = { oif: 'iface_index', oifname: 'ifname', type: 'fib_addrtype' };

export function fibOperand(e: FibExpression): NamedOperand | undefined {
  const bits = flagBits(e.flags, FibFlags);
  const keys = FIB_KEYS.filter((k) => bits & FibFlags[k]);
  const known = FIB_KEYS.reduce<number>((n, k) => n | FibFlags[k], FibFlags.present);
  const resultType = typeof e.result === 'string' ? FIB_RESULT_TYPES[e.result] : undefined;
  if (!resultType || keys.length === 0 || (bits & ~known) !== 0) return undefined;
  const present = (bits & FibFlags.present) !== 0;
  const type: Datatype = present ? 'boolean' : resultType;
  return { kind: 'named', text: `fib ${keys.join(' . ')} ${e.result}`, type, order: 'host', size: sizeOfType(type), raw: [e] };
}

/** The TCP option field an exthdr expression addresses: `tcp option maxseg size`. */
export function tcpOptionField(e: ExthdrExpression): { text: string; present: boolean } | undefined {
  if (e.op !== 'tcpopt' || e.exthdrType === undefined) return undefined;
  const option = TCP_OPTIONS[e.exthdrType];
  if (!option) return undefined;
  const present = flagBits(e.flags, { present: 1 }) !== 0;
  if (present) return { text: `tcp option ${option.name}`, present };
  const start = (e.offset ?? 0) * 8;
  const length = (e.len ?? 0) * 8;
  const name = Object.entries(option.fields).find(([, f]) => f.offset === start && f.length === length)?.[0];
  return name === undefined ? undefined : { text: `tcp option ${option.name} ${name}`, present };
}

export function exthdrOperand(e: ExthdrExpression): NamedOperand | undefined {
  const header = (e.op ?? 'ipv6') === 'ipv6' && e.exthdrType !== undefined ? IPV6_EXTENSION_HEADERS[e.exthdrType] : undefined;
  if (header && flagBits(e.flags, { present: 1 }) !== 0) {
    return { kind: 'named', text: `exthdr ${header}`, type: 'boolean', order: 'big', size: 1, raw: [e] };
  }
  const field = tcpOptionField(e);
  if (!field) return undefined;
  const type: Datatype = field.present ? 'boolean' : 'integer';
  return { kind: 'named', text: field.text, type, order: 'big', size: field.present ? 1 : e.len ?? 0, raw: [e] };
}
