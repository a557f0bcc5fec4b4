/**
 * Rule building blocks as nf_tables expressions, in the exact register form `nft` generates
 * for the same text (checked against `nft --debug=netlink` in the tests), so that
 * `nft list ruleset` shows our rules as ordinary nft syntax.
 */
import type { IpFamily, ParsedPrefix } from '../../netlink/addresses.js';
import { ValidationError } from '../../netlink/errors.js';
import type { Expression } from '../../nft/expressions/index.js';
import { RuleSlot } from '../../nft/prepared-rule.js';

/** A prefix to match: a parsed one, or an address's bytes (a prepared rule's slot) and a length. */
export type AddressPrefix = Pick<ParsedPrefix, 'family' | 'bytes' | 'prefixLength'> & { address?: string };

/** A port, or a port slot of a prepared rule (prepareRule: the value is written in later). */
export type PortValue = number | RuleSlot;

const REG = 1; // NFT_REG_1: nft loads every match into the first 128-bit register
const REG2 = 2;

// (Filled by index: Uint8Array.from walks an iterator, several times slower per rule.)
const byte = (b: number): Uint8Array => {
  const out = new Uint8Array(1);
  out[0] = b;
  return out;
};
const be16 = (n: PortValue): Uint8Array => {
  if (n instanceof RuleSlot) {
    if (n.length !== 2) throw new ValidationError(`slots.${n.slotName}`, "is used as a port: its kind must be 'port'", n.kind);
    return n;
  }
  const out = new Uint8Array(2);
  out[0] = n >> 8;
  out[1] = n & 0xff;
  return out;
};

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
  return [
    { type: 'meta', key: 'nfproto', dreg: REG },
    { type: 'cmp', sreg: REG, op: 'eq', data: { value: byte(NFPROTO[family]) } },
  ];
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
      { type: 'payload', dreg: REG, base: 'network', offset, len },
      { type: 'cmp', sreg: REG, op, data: { value: len === where.len ? prefix.bytes : prefix.bytes.slice(0, len) } },
    ];
  }
  const mask = new Uint8Array(where.len);
  for (let bit = 0; bit < bits; bit++) mask[bit >> 3]! |= 0x80 >> (bit & 7);
  const network = prefix.bytes.map((b, i) => b & mask[i]!);
  return [
    { type: 'payload', dreg: REG, base: 'network', offset, len: where.len },
    { type: 'bitwise', sreg: REG, dreg: REG, len: where.len, mask: { value: mask }, xor: { value: new Uint8Array(where.len) } },
    { type: 'cmp', sreg: REG, op, data: { value: network } },
  ];
}

/** `meta l4proto tcp` */
export function matchProtocol(protocol: 'tcp' | 'udp'): Expression[] {
  return [
    { type: 'meta', key: 'l4proto', dreg: REG },
    { type: 'cmp', sreg: REG, op: 'eq', data: { value: byte(IPPROTO[protocol]) } },
  ];
}

/** `tcp dport 80` or `tcp dport 8000-8010` (after matchProtocol). */
export function matchPort(which: 'sport' | 'dport', ports: readonly [PortValue, PortValue]): Expression[] {
  const load: Expression = { type: 'payload', dreg: REG, base: 'transport', offset: PORT_OFFSET[which], len: 2 };
  if (ports[0] === ports[1]) return [load, { type: 'cmp', sreg: REG, op: 'eq', data: { value: be16(ports[0]) } }];
  return [
    load,
    { type: 'cmp', sreg: REG, op: 'gte', data: { value: be16(ports[0]) } },
    { type: 'cmp', sreg: REG, op: 'lte', data: { value: be16(ports[1]) } },
  ];
}

/** `fib daddr type local`: the packet is addressed to one of this namespace's own addresses. */
export function matchLocalDestination(): Expression[] {
  return [
    { type: 'fib', flags: ['daddr'], result: 'type', dreg: REG },
    // RTN_LOCAL (2) as a host-order u32
    { type: 'cmp', sreg: REG, op: 'eq', data: { value: new Uint8Array(new Uint32Array([2]).buffer) } },
  ];
}

/** `ct status dnat`: the connection's destination was rewritten (a port forward). */
export function matchDnatted(): Expression[] {
  const IPS_DST_NAT = 1 << 5;
  const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
  return [
    { type: 'ct', key: 'status', dreg: REG },
    { type: 'bitwise', sreg: REG, dreg: REG, len: 4, mask: { value: u32(IPS_DST_NAT) }, xor: { value: u32(0) } },
    { type: 'cmp', sreg: REG, op: 'neq', data: { value: u32(0) } },
  ];
}

/** `oifname "eth0"` / `oifname != "v-net-0"` (names compare as IFNAMSIZ bytes). */
export function matchOutInterface(name: string, op: 'eq' | 'neq' = 'eq'): Expression[] {
  const value = new Uint8Array(16);
  value.set(Buffer.from(name, 'utf8'));
  return [
    { type: 'meta', key: 'oifname', dreg: REG },
    { type: 'cmp', sreg: REG, op, data: { value } },
  ];
}

/** `masquerade` */
export function masquerade(): Expression[] {
  return [{ type: 'masq' }];
}

/**
 * `dnat ip to 10.0.0.2:80` / `dnat ip6 to [fd00::2]:80-90`: the address (and port range) in
 * registers 1 and 2, then the nat expression.
 */
export function dnatTo(family: IpFamily, address: Uint8Array, ports?: readonly [PortValue, PortValue]): Expression[] {
  const out: Expression[] = [{ type: 'immediate', dreg: REG, data: { value: address } }];
  if (!ports) {
    out.push({ type: 'nat', natType: 'dnat', family: family === 4 ? 'ip' : 'ip6', addrMin: REG });
    return out;
  }
  out.push({ type: 'immediate', dreg: REG2, data: { value: be16(ports[0]) } });
  if (ports[1] === ports[0]) {
    out.push({ type: 'nat', natType: 'dnat', family: family === 4 ? 'ip' : 'ip6', addrMin: REG, protoMin: REG2, flags: ['proto-specified'] });
  } else {
    const REG3 = 3;
    out.push({ type: 'immediate', dreg: REG3, data: { value: be16(ports[1]) } });
    out.push({ type: 'nat', natType: 'dnat', family: family === 4 ? 'ip' : 'ip6', addrMin: REG, protoMin: REG2, protoMax: REG3, flags: ['proto-specified'] });
  }
  return out;
}

/** `counter` (shows how much each rule matched in `nft list ruleset`). */
export function counter(): Expression[] {
  return [{ type: 'counter', packets: 0n, bytes: 0n }];
}
