/**
 * Lowering the NAT statements as nft does: the target's addresses and ports are loaded into
 * registers with immediate (addr_min, addr_max, proto_min, proto_max, allocated in that order
 * from reg 1), or come from a map lookup whose result lands in addr_min's register; then the
 * nat, masq or redir expression names those registers. A port needs a transport protocol
 * match earlier in the rule; in an inet table snat/dnat need to know the address family.
 */
import type { Expression } from '../../expressions/expression.js';
import { NatRangeFlags, type NatRangeFlagName } from '../../expressions/constants.js';
import { fromBigInt, toBigInt } from '../../render/bytes.js';
import type { MapLookupValue, NatStatement, SimpleValue } from '../ast.js';
import { CompileError } from './compile-error.js';
import { concatenatedTypeId, datatypeId, encodeWord, type ValueShape } from './datatypes.js';
import type { Ir } from './ir.js';
import { keyOf } from './keys.js';
import { dependencies } from './match.js';
import { paddedSize, registerAt, Registers, unitsOf } from './registers.js';
import { setReference, type RuleState } from './state.js';

const PORT: ValueShape = { type: 'inet_service', size: 2, order: 'big' };

/** NAT flags in bit order (as the kernel's flags attribute decodes). */
function natFlags(stmt: NatStatement, portGiven: boolean): NatRangeFlagName[] {
  const names = new Set<NatRangeFlagName>(stmt.flags);
  if (portGiven) names.add('proto-specified');
  return [...names].sort((a, b) => NatRangeFlags[a] - NatRangeFlags[b]);
}

/** min and (for a range or prefix) max of a target value. */
function bounds(value: SimpleValue, shape: ValueShape, state: RuleState): [Uint8Array, Uint8Array?] {
  switch (value.kind) {
    case 'word':
      return [encodeWord(value, shape, state.resolvers).bytes];
    case 'range':
      return [encodeWord(value.from, shape, state.resolvers).bytes, encodeWord(value.to, shape, state.resolvers).bytes];
    case 'prefix': {
      if (shape.type === 'inet_service') throw new CompileError('a port cannot have a prefix length', value.span);
      const bits = shape.size * 8;
      if (value.length > bits) throw new CompileError(`prefix length ${value.length} is longer than ${bits} bits`, value.span);
      const host = (1n << BigInt(bits - value.length)) - 1n;
      const n = toBigInt(encodeWord(value.value, shape, state.resolvers).bytes, 'big') & ~host;
      return [fromBigInt(n, shape.size, 'big'), fromBigInt(n | host, shape.size, 'big')];
    }
    case 'list':
      throw new CompileError('a NAT target is one address, a range or a prefix', value.span);
  }
}

/** The family snat/dnat translates: the table's, or in inet the one given or known from context. */
function natFamily(stmt: NatStatement, state: RuleState): 'ip' | 'ip6' {
  if (state.family === 'ip' || state.family === 'ip6') {
    if (stmt.family && stmt.family !== state.family) throw new CompileError(`conflicting protocols specified: ${state.family} vs. ${stmt.family}`, stmt.keywordSpan);
    return state.family;
  }
  if (stmt.family) return stmt.family;
  const known = state.context.network;
  if (known === 'ip' || known === 'ip6') return known;
  throw new CompileError('ip or ip6 must be specified with address for inet tables.', stmt.keywordSpan);
}

function immediate(reg: number, value: Uint8Array): Expression {
  return { type: 'immediate', dreg: reg, data: { value } };
}

/** `dnat to KEY map { … }`: the lookup, with the map's data landing in `reg`. */
function mapLookup(stmt: NatStatement, map: MapLookupValue, address: ValueShape, state: RuleState): { deps: Ir[]; build: (reg: number) => Expression[]; addrPort: boolean } {
  const key = keyOf(map.key);
  const deps = dependencies(key, state);
  const elements = map.map.kind === 'set' ? map.map.elements : [];
  const named = map.map.kind === 'setref' ? state.namedSet(map.map.name) : undefined;
  const namedData = named?.data;
  const addrPort = stmt.addrPort === true || elements.some((e) => e.data?.kind === 'concat') || (typeof namedData === 'object' && namedData.parts.length === 2);
  const parts = addrPort ? [address, PORT] : [address];
  const data = {
    kind: 'value' as const,
    shape: { parts },
    type: concatenatedTypeId(parts.map((p) => datatypeId(p.type))),
    len: parts.reduce((n, p) => n + (addrPort ? paddedSize(p.size) : p.size), 0),
  };
  const ref = setReference(state, key, map.map, data);
  return {
    deps,
    addrPort,
    build: (reg) => [...key.load(reg), { type: 'lookup', sreg: reg, dreg: reg, ...ref }],
  };
}

export function lowerNat(stmt: NatStatement, state: RuleState): Ir[] {
  if (stmt.port && !state.context.transport && !state.context.transportMatched) {
    throw new CompileError('transport protocol mapping is only valid after transport protocol match', stmt.port.span, [stmt.keywordSpan]);
  }
  const port = stmt.port ? bounds(stmt.port, PORT, state) : undefined;
  if (stmt.type === 'masquerade' || stmt.type === 'redirect') {
    const flags = natFlags(stmt, port !== undefined);
    return [{
      kind: 'exprs', fence: true, span: stmt.span,
      build() {
        const regs = new Registers();
        const out: Expression[] = [];
        const min = port ? regs.take(PORT.size) : undefined;
        const max = port?.[1] ? regs.take(PORT.size) : undefined;
        if (min !== undefined) out.push(immediate(min, port![0]));
        if (max !== undefined) out.push(immediate(max, port![1]!));
        const type = stmt.type === 'masquerade' ? 'masq' : 'redir';
        out.push({ type, ...(flags.length > 0 ? { flags } : {}), ...(min !== undefined ? { protoMin: min } : {}), ...(max !== undefined ? { protoMax: max } : {}) } as Expression);
        return out;
      },
    }];
  }
  const family = natFamily(stmt, state);
  const address: ValueShape = family === 'ip' ? { type: 'ipv4_addr', size: 4, order: 'big' } : { type: 'ipv6_addr', size: 16, order: 'big' };
  const natType = stmt.type;
  if (stmt.addr?.kind === 'map') {
    const lookup = mapLookup(stmt, stmt.addr, address, state);
    if (port) throw new CompileError('a map lookup gives the address (and port) itself: no port here', stmt.port!.span);
    const flags = natFlags(stmt, false);
    return [...lookup.deps, {
      kind: 'exprs', fence: true, span: stmt.span,
      build() {
        const reg = new Registers().take(address.size);
        const protoMin = lookup.addrPort ? registerAt(reg, unitsOf(address.size)) : undefined;
        return [...lookup.build(reg), { type: 'nat', natType, family, addrMin: reg, ...(protoMin !== undefined ? { protoMin } : {}), ...(flags.length > 0 ? { flags } : {}) } as Expression];
      },
    }];
  }
  if (!stmt.addr && !port) throw new CompileError(`${stmt.type} needs a target: ${stmt.type} to ADDRESS[:PORT]`, stmt.keywordSpan);
  const addr = stmt.addr ? bounds(stmt.addr, address, state) : undefined;
  const flags = natFlags(stmt, port !== undefined);
  return [{
    kind: 'exprs', fence: true, span: stmt.span,
    build() {
      const regs = new Registers();
      const r = {
        addrMin: addr ? regs.take(address.size) : undefined,
        addrMax: addr?.[1] ? regs.take(address.size) : undefined,
        protoMin: port ? regs.take(PORT.size) : undefined,
        protoMax: port?.[1] ? regs.take(PORT.size) : undefined,
      };
      const out: Expression[] = [];
      if (r.addrMin !== undefined) out.push(immediate(r.addrMin, addr![0]));
      if (r.addrMax !== undefined) out.push(immediate(r.addrMax, addr![1]!));
      if (r.protoMin !== undefined) out.push(immediate(r.protoMin, port![0]));
      if (r.protoMax !== undefined) out.push(immediate(r.protoMax, port![1]!));
      const regsUsed = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
      out.push({ type: 'nat', natType, family, ...regsUsed, ...(flags.length > 0 ? { flags } : {}) } as Expression);
      return out;
    },
  }];
}
