/**
 * Rule building blocks as nf_tables expressions, in the exact register form `nft` generates
 * for the same text (checked against `nft --debug=netlink` in the tests), so that
 * `nft list ruleset` shows our rules as ordinary nft syntax.
 *
 * Each helper returns a new array. The expressions in it that are the same wherever they
 * appear are shared, frozen constant expressions (shared-expressions.ts); the others (an
 * address, a port) are new objects. To change an expression, build a new one
 * (`{ ...e, op: 'neq' }`).
 */
import type { IpFamily, ParsedPrefix } from '../../netlink/addresses.js';
import { ValidationError } from '../../netlink/errors.js';
import type { Expression } from '../../nft/expressions/index.js';
import { RuleSlot } from '../../nft/prepared-rule.js';
import {
  counterStatement,
  dnatStatement,
  equalsByte,
  equalsLocal,
  loadCtStatus,
  loadDestinationType,
  loadMeta,
  loadNetworkField,
  loadPortNumber,
  loadTransportPort,
  maskDnatted,
  masqStatement,
  notZero,
  portBytes,
  REG,
  REG2,
  REG3,
} from './shared-expressions.js';

/** A prefix to match: a parsed one, or an address's bytes (a prepared rule's slot) and a length. */
export type AddressPrefix = Pick<ParsedPrefix, 'family' | 'bytes' | 'prefixLength'> & { address?: string };

/** A port, or a port slot of a prepared rule (prepareRule: the value is written in later). */
export type PortValue = number | RuleSlot;

const PORT_MAX = 0xffff;

/** A port's two bytes (network order), or the slot itself. @throws ValidationError for anything but a port. */
function be16(n: PortValue): Uint8Array {
  if (n instanceof RuleSlot) {
    if (n.length !== 2) throw new ValidationError(`slots.${n.slotName}`, "is used as a port: its kind must be 'port'", n.kind);
    return n;
  }
  return portBytes(checkedPort(n));
}

function checkedPort(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > PORT_MAX) throw new ValidationError('port', 'must be an integer from 0 to 65535', n);
  return n;
}

/** NFPROTO_IPV4 / NFPROTO_IPV6 as `meta nfproto` compares them (one byte). */
const NFPROTO = { 4: 2, 6: 10 } as const;
/** Where the addresses sit in the network header, and their size. */
const ADDRESS_FIELD = {
  4: { saddr: 12, daddr: 16, len: 4 },
  6: { saddr: 8, daddr: 24, len: 16 },
} as const;
const IPPROTO = { tcp: 6, udp: 17 } as const;
/** struct tcphdr / udphdr: source port at 0, destination port at 2. */
const PORT_OFFSET = { sport: 0, dport: 2 } as const;

/** `meta nfproto ipv4|ipv6`: needed first in an inet table before matching IP header fields. */
export function matchFamily(family: IpFamily): Expression[] {
  return [loadMeta('nfproto'), equalsByte(NFPROTO[family])];
}

/**
 * `ip saddr 10.0.0.0/8`, `ip6 daddr != fd00::/64` …: a whole-byte prefix loads only its bytes
 * (`payload load 1b`); other prefixes load the address and mask it (`bitwise`), as nft does.
 */
export function matchAddress(field: 'saddr' | 'daddr', prefix: AddressPrefix, op: 'eq' | 'neq' = 'eq'): Expression[] {
  const where = ADDRESS_FIELD[prefix.family];
  const offset = where[field];
  const bits = prefix.prefixLength;
  if (bits === 0) return []; // matches everything
  if (bits % 8 === 0) {
    const len = bits / 8;
    // A whole address is used as given (it may be a prepared rule's slot); a prefix's bytes are cut.
    return [
      loadNetworkField(offset, len),
      { type: 'cmp', sreg: REG, op, data: { value: len === where.len ? prefix.bytes : prefix.bytes.slice(0, len) } },
    ];
  }
  const mask = new Uint8Array(where.len);
  for (let bit = 0; bit < bits; bit++) mask[bit >> 3]! |= 0x80 >> (bit & 7);
  const network = prefix.bytes.map((b, i) => b & mask[i]!);
  return [
    loadNetworkField(offset, where.len),
    { type: 'bitwise', sreg: REG, dreg: REG, len: where.len, mask: { value: mask }, xor: { value: new Uint8Array(where.len) } },
    { type: 'cmp', sreg: REG, op, data: { value: network } },
  ];
}

/** `meta l4proto tcp` */
export function matchProtocol(protocol: 'tcp' | 'udp'): Expression[] {
  return [loadMeta('l4proto'), equalsByte(IPPROTO[protocol])];
}

/** `tcp dport 80` or `tcp dport 8000-8010` (after matchProtocol). */
export function matchPort(which: 'sport' | 'dport', ports: readonly [PortValue, PortValue]): Expression[] {
  const load = loadTransportPort(PORT_OFFSET[which]);
  if (ports[0] === ports[1]) return [load, { type: 'cmp', sreg: REG, op: 'eq', data: { value: be16(ports[0]) } }];
  return [
    load,
    { type: 'cmp', sreg: REG, op: 'gte', data: { value: be16(ports[0]) } },
    { type: 'cmp', sreg: REG, op: 'lte', data: { value: be16(ports[1]) } },
  ];
}

/** `fib daddr type local`: the packet is addressed to one of this namespace's own addresses. */
export function matchLocalDestination(): Expression[] {
  return [loadDestinationType(), equalsLocal()];
}

/** `ct status dnat`: the connection's destination was rewritten (a port forward). */
export function matchDnatted(): Expression[] {
  return [loadCtStatus(), maskDnatted(), notZero()];
}

/** `iifname "veth0"` / `oifname != "v-net-0"` (names compare as IFNAMSIZ bytes, NUL-padded). */
function matchInterface(key: 'iifname' | 'oifname', name: string, op: 'eq' | 'neq'): Expression[] {
  const value = new Uint8Array(16);
  value.set(Buffer.from(name, 'utf8'));
  return [loadMeta(key), { type: 'cmp', sreg: REG, op, data: { value } }];
}

/** `iifname "veth0"` / `iifname != "veth0"`: the interface the packet came in on. */
export function matchInInterface(name: string, op: 'eq' | 'neq' = 'eq'): Expression[] {
  return matchInterface('iifname', name, op);
}

/** `oifname "eth0"` / `oifname != "v-net-0"`: the interface the packet leaves by. */
export function matchOutInterface(name: string, op: 'eq' | 'neq' = 'eq'): Expression[] {
  return matchInterface('oifname', name, op);
}

/** `masquerade` */
export function masquerade(): Expression[] {
  return [masqStatement()];
}

/** `immediate reg DREG PORT`: shared for a port number, an ordinary expression for a prepared rule's slot. */
function loadPort(dreg: 2 | 3, port: PortValue): Expression {
  return typeof port === 'number' ? loadPortNumber(dreg, checkedPort(port)) : { type: 'immediate', dreg, data: { value: be16(port) } };
}

/**
 * `dnat ip to 10.0.0.2:80` / `dnat ip6 to [fd00::2]:80-90`: the address (and port range) in
 * registers 1 and 2, then the nat expression.
 */
export function dnatTo(family: IpFamily, address: Uint8Array, ports?: readonly [PortValue, PortValue]): Expression[] {
  const load: Expression = { type: 'immediate', dreg: REG, data: { value: address } };
  if (!ports) return [load, dnatStatement(family)];
  if (ports[1] === ports[0]) return [load, loadPort(REG2, ports[0]), dnatStatement(family, 1)];
  return [load, loadPort(REG2, ports[0]), loadPort(REG3, ports[1]), dnatStatement(family, 2)];
}

/** `counter` (shows how much each rule matched in `nft list ruleset`). */
export function counter(): Expression[] {
  return [counterStatement()];
}
