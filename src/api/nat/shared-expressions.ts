/**
 * The expressions the rule helpers (matches.ts) share between rules: those that are the same
 * wherever they appear — `meta l4proto`, `cmp eq 6`, `payload load 2b @ transport header + 2`,
 * a port forward's nat statement — made on first use as constant expressions (frozen, encoded
 * once: nft/expressions/constant.ts). A batch of 10,000 port forwards then allocates and
 * encodes only what differs between its rules (an address, a port).
 */
import type { Expression } from '../../nft/expressions/index.js';
import { pooledBytes } from '../../netlink/byte-pool.js';
import { constantExpression } from '../../nft/expressions/constant.js';

export const REG = 1; // NFT_REG_1: nft loads every match into the first 128-bit register
export const REG2 = 2;
export const REG3 = 3;
/** <linux/rtnetlink.h>: a local address, as `fib daddr type` gives it (a host-order u32). */
const RTN_LOCAL = 2;
/** <linux/netfilter/nf_conntrack_common.h>: the connection's destination was rewritten. */
const IPS_DST_NAT = 1 << 5;

/** A one-byte value (filled by index: Uint8Array.of walks its arguments, slower per rule). */
function byte(b: number): Uint8Array {
  const out = new Uint8Array(1);
  out[0] = b;
  return out;
}

/** A port's two bytes, in network order (a region of the shared pool: one per rule, kept as long as it). */
export function portBytes(port: number): Uint8Array {
  const out = pooledBytes(2);
  out[0] = port >> 8;
  out[1] = port & 0xff;
  return out;
}

/** A host-order u32 value. */
const u32 = (n: number): Uint8Array => new Uint8Array(new Uint32Array([n]).buffer);

/**
 * `make(key, more)` as a constant expression, made once per pair of small numbers or strings
 * (the helpers run once per rule: a number or a literal key, never a string built per call).
 */
function shared<K extends string | number, E extends Expression>(make: (key: K, more: number) => E): (key: K, more?: number) => Readonly<E> {
  const made = new Map<K, Readonly<E>[]>();
  return (key, more = 0) => {
    let row = made.get(key);
    if (row === undefined) made.set(key, (row = []));
    return (row[more] ??= constantExpression(make(key, more)));
  };
}

/** `meta KEY => reg 1` */
export const loadMeta = shared((key: 'nfproto' | 'l4proto' | 'iifname' | 'oifname'): Expression => ({ type: 'meta', key, dreg: REG }));

/** `cmp eq reg 1 B` for a one-byte B (a protocol, a family). */
export const equalsByte = shared((b: number): Expression => ({ type: 'cmp', sreg: REG, op: 'eq', data: { value: byte(b) } }));

/** `payload load LEN @ network header + OFFSET => reg 1` */
export const loadNetworkField = shared((offset: number, len: number): Expression => ({ type: 'payload', dreg: REG, base: 'network', offset, len }));

/** `payload load 2b @ transport header + OFFSET => reg 1` (0 the source port, 2 the destination). */
export const loadTransportPort = shared((offset: 0 | 2): Expression => ({ type: 'payload', dreg: REG, base: 'transport', offset, len: 2 }));

/** A port forward's nat statement, by family and how many port registers it reads (0, 1: a port, 2: a range). */
export const dnatStatement = shared((family: 4 | 6, ports: number): Expression => {
  const base = { type: 'nat', natType: 'dnat', family: family === 4 ? 'ip' : 'ip6', addrMin: REG } as const;
  if (ports === 0) return base;
  if (ports === 1) return { ...base, protoMin: REG2, flags: ['proto-specified'] };
  return { ...base, protoMin: REG2, protoMax: REG3, flags: ['proto-specified'] };
});

/** `make()` as a constant expression, made on first use. */
function sharedOne<E extends Expression>(make: () => E): () => Readonly<E> {
  let e: Readonly<E> | undefined;
  return () => (e ??= constantExpression(make()));
}

export const masqStatement = sharedOne((): Expression => ({ type: 'masq' }));
export const counterStatement = sharedOne((): Expression => ({ type: 'counter', packets: 0n, bytes: 0n }));
/** `fib daddr type => reg 1`, then `cmp eq reg 1 local`. */
export const loadDestinationType = sharedOne((): Expression => ({ type: 'fib', flags: ['daddr'], result: 'type', dreg: REG }));
export const equalsLocal = sharedOne((): Expression => ({ type: 'cmp', sreg: REG, op: 'eq', data: { value: u32(RTN_LOCAL) } }));
/** `ct status => reg 1`, `bitwise reg 1 = (reg 1 & dnat)`, `cmp neq reg 1 0`. */
export const loadCtStatus = sharedOne((): Expression => ({ type: 'ct', key: 'status', dreg: REG }));
export const maskDnatted = sharedOne((): Expression => ({ type: 'bitwise', sreg: REG, dreg: REG, len: 4, mask: { value: u32(IPS_DST_NAT) }, xor: { value: u32(0) } }));
export const notZero = sharedOne((): Expression => ({ type: 'cmp', sreg: REG, op: 'neq', data: { value: u32(0) } }));

/**
 * `immediate reg DREG PORT`, shared for ports used often as DNAT targets. Bounded: a map of
 * ports to addresses may use thousands of ports; past the bound a port's load is made anew.
 */
const SHARED_PORT_LOADS_MAX = 1024;
const portLoads = new Map<number, Readonly<Expression>>();
/** (`port` a checked port number, 0 to 65535.) */
export function loadPortNumber(dreg: 2 | 3, port: number): Expression {
  const key = dreg * 0x10000 + port;
  const known = portLoads.get(key);
  if (known !== undefined) return known;
  const e: Expression = { type: 'immediate', dreg, data: { value: portBytes(port) } };
  if (portLoads.size >= SHARED_PORT_LOADS_MAX) return e;
  portLoads.set(key, constantExpression(e));
  return e;
}
