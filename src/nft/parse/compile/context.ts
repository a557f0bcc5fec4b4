/**
 * nft's protocol context: which protocol each layer is known to carry at this point of the
 * rule, and the dependency matches nft inserts when a header field needs one — `meta l4proto
 * tcp` before `tcp dport` (unless `ip protocol tcp` already said so), `meta nfproto ipv4`
 * before `ip saddr` in an inet table, `meta iiftype ether` before `ether saddr`, `ether type
 * ip` before `ip saddr` in bridge and netdev tables.
 */
import type { TableFamily } from '../../constants.js';
import { fromBigInt } from '../../render/bytes.js';
import { ETHER_TYPES, INET_PROTOCOLS, INTERFACE_TYPES, NF_PROTOCOLS } from '../../render/datatypes.js';
import { NETWORK_BY_ETHER_TYPE, NETWORK_BY_NFPROTO, TRANSPORT_BY_INET_PROTO, type HeaderProtocolName } from '../../render/fields.js';
import type { Layer } from '../../render/operands.js';
import type { Span } from '../errors.js';
import { CompileError } from './compile-error.js';
import type { Ir } from './ir.js';
import { keyOf, type Key } from './keys.js';

/** Protocols that need no dependency: `th` is any transport header with ports. */
const INDEPENDENT: ReadonlySet<HeaderProtocolName> = new Set(['th']);
/** The number `meta l4proto` compares for a transport protocol. */
const L4PROTO: Readonly<Partial<Record<HeaderProtocolName, number>>> = {
  tcp: INET_PROTOCOLS.tcp, udp: INET_PROTOCOLS.udp, udplite: INET_PROTOCOLS.udplite, sctp: INET_PROTOCOLS.sctp,
  dccp: INET_PROTOCOLS.dccp, icmp: INET_PROTOCOLS.icmp, icmpv6: INET_PROTOCOLS['ipv6-icmp'],
};

export class ProtocolContext {
  private readonly known: Partial<Record<Layer, HeaderProtocolName>> = {};
  /** Some match constrained the transport protocol (even to several, `meta l4proto { tcp, udp }`). */
  transportMatched = false;

  constructor(readonly family: TableFamily) {
    if (family === 'ip' || family === 'ip6') this.known.network = family;
    if (family === 'bridge' || family === 'netdev') this.known.link = 'ether';
  }

  get network(): HeaderProtocolName | undefined {
    return this.known.network;
  }

  get transport(): HeaderProtocolName | undefined {
    return this.known.transport;
  }

  /** Record what an equality match on a protocol key established. */
  learn(layer: Layer, value: number): void {
    const table = layer === 'transport' ? TRANSPORT_BY_INET_PROTO : layer === 'network' ? { ...NETWORK_BY_NFPROTO, ...NETWORK_BY_ETHER_TYPE } : { 1: 'ether' as const };
    const protocol = (table as Record<number, HeaderProtocolName>)[value];
    if (protocol) this.known[layer] = protocol;
    if (layer === 'transport') this.transportMatched = true;
  }

  /**
   * The dependency matches a field of `protocol` at `layer` needs first (none when the context
   * already has it). @throws CompileError when the context has another protocol there.
   */
  require(protocol: HeaderProtocolName, layer: Layer, span: Span): Ir[] {
    if (INDEPENDENT.has(protocol)) {
      if (layer === 'transport') this.transportMatched = true;
      return [];
    }
    const current = this.known[layer];
    if (current === protocol) return [];
    if (current !== undefined) throw new CompileError(`conflicting protocols specified: ${current} vs. ${protocol}`, span);
    const dependency = this.dependency(protocol, layer, span);
    this.known[layer] = protocol;
    if (layer === 'transport') this.transportMatched = true;
    return dependency;
  }

  private dependency(protocol: HeaderProtocolName, layer: Layer, span: Span): Ir[] {
    if (layer === 'transport') {
      const number = L4PROTO[protocol];
      if (number === undefined) throw new CompileError(`${protocol} has no protocol number to depend on`, span);
      return [metaMatch('l4proto', number, span)];
    }
    if (layer === 'network') {
      if (this.family === 'inet') return [metaMatch('nfproto', protocol === 'ip6' ? NF_PROTOCOLS.ipv6! : NF_PROTOCOLS.ipv4!, span)];
      if (this.family === 'bridge' || this.family === 'netdev') {
        const key = keyOf({ kind: 'payload', protocol: 'ether', field: 'type', span });
        const value = protocol === 'ip6' ? ETHER_TYPES.ip6! : ETHER_TYPES.ip!;
        return [{ kind: 'payload-match', place: key.payload!, op: 'eq', value: fromBigInt(BigInt(value), key.size, 'big'), span, dependency: true }];
      }
      throw new CompileError(`${protocol} fields cannot be matched in a ${this.family} table`, span);
    }
    if (this.family === 'arp') throw new CompileError(`${protocol} fields cannot be matched in an arp table`, span);
    return [metaMatch('iiftype', INTERFACE_TYPES.ether!, span)];
  }
}

/** `meta KEY VALUE` as a dependency statement. */
function metaMatch(meta: 'l4proto' | 'nfproto' | 'iiftype', value: number, span: Span): Ir {
  const key: Key = keyOf({ kind: 'meta', key: meta, span });
  const bytes = fromBigInt(BigInt(value), key.size, key.order);
  return {
    kind: 'exprs',
    fence: false,
    span,
    build: () => [...key.load(1), { type: 'cmp', sreg: 1, op: 'eq', data: { value: bytes } }],
  };
}
