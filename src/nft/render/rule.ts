/**
 * A decompiler from a rule's expressions back to nft syntax, the way `nft list ruleset` prints
 * it: `ip saddr 192.168.15.0/24 oifname != "v-net-0" masquerade`. It follows the registers
 * (what each load put where), names payload loads from the protocol context the rule's own
 * matches establish, and drops the protocol matches nft adds as dependencies
 * (`meta l4proto tcp` before `tcp dport`) just as nft does when listing. Sequences it does not
 * recognise are printed as their `nft --debug=netlink` lines, `[ … ]`, in place.
 */
import type { TableFamily } from '../constants.js';
import type { BitwiseExpression } from '../expressions/bitwise.js';
import type { CmpExpression } from '../expressions/cmp.js';
import type { CtExpression } from '../expressions/ct.js';
import type { DynsetExpression } from '../expressions/dynset.js';
import { describeExpression, type Expression } from '../expressions/expression.js';
import type { ExthdrExpression } from '../expressions/exthdr.js';
import type { ImmediateExpression } from '../expressions/immediate.js';
import type { LookupExpression } from '../expressions/lookup.js';
import type { MetaExpression } from '../expressions/meta.js';
import type { PayloadExpression } from '../expressions/payload.js';
import type { RangeExpression } from '../expressions/range.js';
import { registerSlot } from '../expressions/registers.js';
import { fromBigInt, toBigInt } from './bytes.js';
import { formatValue, type Datatype, type FormatContext } from './datatypes.js';
import type { HeaderProtocolName } from './fields.js';
import { ctOperand, exthdrOperand, fibOperand, metaOperand, tcpOptionField } from './keys.js';
import { matchText, splitMatches, type Match, type MatchEnvironment } from './matches.js';
import { viewPayload, type FieldView, type KeyComponent, type Layer, type Operand, type PayloadOperand, type ProtocolContext } from './operands.js';
import { RegisterFile } from './register-file.js';
import { formatSet, type DataFormat, type RenderSet } from './sets.js';
import { counterText, durationText, limitText, logText, natFlagsText, natText, objrefText, quotaText, rejectText, verdictText } from './statements.js';

/** How to render a rule. */
export interface RenderOptions extends FormatContext {
  /** The family of the rule's table: it decides what the network header is, and NAT/reject spelling. */
  family: TableFamily;
  /**
   * The contents of a set a lookup refers to, by name or (in a batch) id. Anonymous sets
   * (`__set%d`, `__map%d`) are printed inline from it; without it they print raw.
   */
  resolveSet?: (ref: { name?: string; id?: number }) => RenderSet | undefined;
  /** Leave out counter and quota values, like `nft -s` (nft also does inside set statements). */
  stateless?: boolean;
}

/** nft's names for anonymous sets (`__set%d` in a batch, `__set0` once the kernel named it). */
const ANONYMOUS_SET = /^__(set|map|objmap)/;

interface Statement {
  text: string;
  removed?: boolean;
}

class RuleRenderer {
  private readonly registers = new RegisterFile();
  private readonly statements: Statement[] = [];
  private readonly context: ProtocolContext = {};
  private readonly dependencies = new Map<Layer, { index: number; protocol: HeaderProtocolName }>();

  /** What matches need to know: the family, the protocols established so far, names for ifindexes. */
  private readonly env: MatchEnvironment;

  constructor(private readonly options: RenderOptions) {
    this.env = { family: options.family, context: this.context, format: options };
  }

  render(expressions: readonly Expression[]): string {
    for (let i = 0; i < expressions.length; i++) i += this.step(expressions, i);
    for (const operand of this.registers.leftOver()) this.statements.push({ text: rawText(operand.raw) });
    return this.statements.filter((s) => !s.removed).map((s) => s.text).join(' ');
  }

  /** Handle expressions[i]; returns how many following expressions it consumed too. */
  private step(expressions: readonly Expression[], i: number): number {
    const e = expressions[i]!;
    switch (e.type) {
      case 'payload': return this.payload(e), 0;
      case 'meta': return this.loadOrSet(e, metaOperand(e)), 0;
      case 'ct': return this.loadOrSet(e, ctOperand(e)), 0;
      case 'fib': return this.load(e.dreg, fibOperand(e), e), 0;
      case 'exthdr': return this.exthdr(e), 0;
      case 'immediate': return this.immediate(e), 0;
      case 'bitwise': return this.bitwise(e), 0;
      case 'cmp': return this.cmp(e, expressions[i + 1]);
      case 'range': return this.range(e), 0;
      case 'lookup': return this.lookup(e), 0;
      case 'nat': return this.nat(e), 0;
      case 'masq': return this.natLike(e, 'masquerade', e.protoMin, e.protoMax, e.flags), 0;
      case 'redir': return this.natLike(e, 'redirect', e.protoMin, e.protoMax, e.flags), 0;
      case 'counter': return this.emit(counterText(e, this.options.stateless)), 0;
      case 'limit': return this.emit(limitText(e)), 0;
      case 'quota': return this.emit(quotaText(e, this.options.stateless)), 0;
      case 'log': return this.emit(logText(e)), 0;
      case 'notrack': return this.emit('notrack'), 0;
      case 'objref': return this.objref(e), 0;
      case 'reject': return this.reject(e), 0;
      case 'dynset': return this.dynset(e), 0;
      default: return this.emit(describeExpression(e)), 0;
    }
  }

  /**
   * A statement other than a match. Like nft (rule_maybe_reset_payload_deps), it ends the
   * dependency bookkeeping: a protocol match before a counter, quota, NAT … stays printed.
   */
  private emit(text: string): void {
    this.statements.push({ text });
    this.dependencies.clear();
  }

  /** Print an expression and the operands it consumed as their debug lines. */
  private raw(e: Expression, ...operands: Array<Operand | undefined>): void {
    this.emit(rawText([...operands.flatMap((o) => o?.raw ?? []), e]));
  }

  // --- registers ---------------------------------------------------------------------------

  private load(reg: number | undefined, operand: Operand | undefined, e: Expression): void {
    const displaced = operand ? this.registers.load(reg, operand) : undefined;
    if (!displaced) return this.emit(describeExpression(e));
    for (const unused of displaced) this.emit(rawText(unused.raw));
  }

  // --- naming what registers hold ----------------------------------------------------------

  /** The name, type and byte order of an operand used as a match's left side or a set key. */
  private component(operand: Operand): (KeyComponent & { view?: FieldView; defines?: Layer }) | undefined {
    if (operand.kind === 'payload') {
      const view = viewPayload(operand, this.options.family, this.context);
      if (!view || view.match !== 'exact') return undefined;
      return { text: view.text, type: view.type, order: 'big', size: view.size, view };
    }
    if (operand.kind === 'named' && !operand.mask) {
      return { text: operand.text, type: operand.type, order: operand.order, size: operand.size, ...(operand.defines ? { defines: operand.defines } : {}) };
    }
    return undefined;
  }

  /** A value for a key/field: a constant formatted as `type`, or another key's name (`ct mark`). */
  private valueText(operand: Operand | undefined, type: Datatype, order: 'big' | 'host'): string | undefined {
    if (!operand) return undefined;
    if (operand.kind === 'constant') return formatValue(type, operand.bytes, order, this.options);
    if (operand.kind === 'named') return operand.mask ? this.maskedText(operand) : operand.text;
    if (operand.kind === 'map') return this.mapText(operand, { kind: 'value', type, order });
    return undefined;
  }

  /** A key under mask and xor as nft writes it: `ct mark & 0x000000ff`, `meta mark | 0x00000010`. */
  private maskedText(operand: Extract<Operand, { kind: 'named' }>): string | undefined {
    const mask = toBigInt(operand.mask!, operand.order);
    const xor = toBigInt(operand.xor ?? new Uint8Array(), operand.order);
    const all = (1n << BigInt(operand.mask!.length * 8)) - 1n;
    const show = (n: bigint): string => formatValue(operand.type, fromBigInt(n, operand.mask!.length, operand.order), operand.order, this.options);
    if (xor === 0n) return `${operand.text} & ${show(mask)}`;
    if ((mask | xor) === all && (mask & xor) === 0n) return `${operand.text} | ${show(xor)}`;
    if (mask === all) return `${operand.text} ^ ${show(xor)}`;
    return undefined;
  }

  private mapText(operand: Extract<Operand, { kind: 'map' }>, data: DataFormat): string | undefined {
    if (!operand.set) return ANONYMOUS_SET.test(operand.setName) ? undefined : `${operand.key} map @${operand.setName}`;
    return `${operand.key} map ${formatSet(operand.set, operand.keyLayout, data, this.options)}`;
  }

  // --- dependencies (nft's payload_dependency_store / _kill) --------------------------------

  private uses(layer: Layer, protocol: HeaderProtocolName): void {
    const dependency = this.dependencies.get(layer);
    if (dependency?.protocol === protocol) {
      this.statements[dependency.index]!.removed = true;
      this.dependencies.delete(layer);
    }
  }

  private pushMatch(match: Match): void {
    if (match.uses) this.uses(match.uses.layer, match.uses.protocol);
    if (match.defines) {
      this.context[match.defines.layer] = match.defines.protocol;
      this.dependencies.set(match.defines.layer, { index: this.statements.length, protocol: match.defines.protocol });
    }
    this.statements.push({ text: match.text });
  }

  private cmp(e: CmpExpression, next: Expression | undefined): number {
    const left = this.registers.take(e.sreg);
    const value = e.data?.value;
    // nft writes `a-b` as two comparisons on the same register: >= a, then <= b.
    if (e.op === 'gte' && next?.type === 'cmp' && next.op === 'lte' && next.sreg === e.sreg && value && next.data?.value) {
      const match = matchText(this.env, left, 'eq', value, next.data.value);
      if (match) return this.pushMatch(match), 1;
    }
    const match = typeof e.op === 'string' && value ? matchText(this.env, left, e.op, value) : undefined;
    if (match) {
      this.pushMatch(match);
      return 0;
    }
    // Adjacent fields nft compared in one go (`tcp sport 1 tcp dport 2`) list as separate matches.
    const parts = left?.kind === 'payload' && value && (e.op === 'eq' || e.op === 'neq') ? splitMatches(this.env, left, e.op, value) : undefined;
    if (parts) for (const part of parts) this.pushMatch(part);
    else this.raw(e, left);
    return 0;
  }

  private range(e: RangeExpression): void {
    const left = this.registers.take(e.sreg);
    const op = e.op === 'neq' ? 'neq' : e.op === 'eq' ? 'eq' : undefined;
    const match = op && e.from?.value && e.to?.value ? matchText(this.env, left, op, e.from.value, e.to.value) : undefined;
    if (match) this.pushMatch(match);
    else this.raw(e, left);
  }

  private lookup(e: LookupExpression): void {
    const set = this.options.resolveSet?.({ ...(e.set !== undefined ? { name: e.set } : {}), ...(e.setId !== undefined ? { id: e.setId } : {}) });
    const operands = this.registers.takeConcatenation(e.sreg, set?.elements[0]?.key.length);
    const parts = operands.map((o) => this.component(o));
    if (operands.length === 0 || parts.some((p) => !p)) return this.raw(e, ...operands);
    const layout = parts as KeyComponent[];
    for (const p of parts) if (p?.view) this.uses(p.view.layer, p.view.protocol);
    const key = layout.map((p) => p.text).join(' . ');
    const name = set?.name ?? e.set ?? '';
    const inline = ANONYMOUS_SET.test(name);
    if (inline && !set) return this.raw(e, ...operands);
    const setText = (data: DataFormat | undefined): string => (inline ? formatSet(set!, layout, data, this.options) : `@${name}`);
    if (e.dreg === undefined) {
      const inverted = e.flags?.includes('inv') ?? false;
      return this.pushMatch({ text: `${key} ${inverted ? '!= ' : ''}${setText(undefined)}` });
    }
    if (e.dreg === 0) return this.emit(`${key} vmap ${setText({ kind: 'verdict' })}`);
    this.load(e.dreg, { kind: 'map', key, set: inline ? set : undefined, setName: name, keyLayout: layout, raw: [...operands.flatMap((o) => o.raw), e] }, e);
  }

  // --- loads, writes and verdicts -----------------------------------------------------------

  private payload(e: PayloadExpression): void {
    if (e.sreg === undefined) {
      const operand: PayloadOperand = { kind: 'payload', base: e.base ?? 'link', offset: e.offset ?? 0, len: e.len ?? 0, raw: [e] };
      return this.load(e.dreg, e.base === undefined ? undefined : operand, e);
    }
    const source = this.registers.take(e.sreg);
    const target: PayloadOperand = { kind: 'payload', base: e.base ?? 'link', offset: e.offset ?? 0, len: e.len ?? 0, raw: [] };
    let view: FieldView | undefined;
    let value: string | undefined;
    if (source?.kind === 'payload' && source.mask && source.xor && source.base === target.base && source.offset === target.offset && source.len === target.len) {
      // A field narrower than what is written: load, keep the other bits (mask), set the field's (xor).
      const changed = source.mask.map((b) => ~b & 0xff);
      view = viewPayload({ ...target, mask: changed }, this.options.family, this.context);
      if (view?.match === 'bits') {
        const n = (toBigInt(source.xor, 'big') >> BigInt(view.shift!)) & ((1n << BigInt(view.field.length)) - 1n);
        value = formatValue(view.type, fromBigInt(n, view.size, 'big'), 'big', this.options);
      }
    } else {
      view = viewPayload(target, this.options.family, this.context);
      value = view?.match === 'exact' ? this.valueText(source, view.type, 'big') : undefined;
    }
    if (!view || value === undefined) return this.raw(e, source);
    this.uses(view.layer, view.protocol);
    this.emit(`${view.text} set ${value}`);
  }

  private loadOrSet(e: MetaExpression | CtExpression, operand: Extract<Operand, { kind: 'named' }> | undefined): void {
    if (e.sreg === undefined) return this.load(e.dreg, operand, e);
    const source = this.registers.take(e.sreg);
    const value = operand ? this.valueText(source, operand.type, operand.order) : undefined;
    if (!operand || value === undefined) return this.raw(e, source);
    // The key's text is already `meta mark`, `iifname` (unqualified) or `ct mark`.
    this.emit(`${operand.text} set ${value}`);
  }

  private exthdr(e: ExthdrExpression): void {
    if (e.sreg === undefined) return this.load(e.dreg, exthdrOperand(e), e);
    const source = this.registers.take(e.sreg);
    const field = tcpOptionField(e);
    const value = field && !field.present ? this.valueText(source, 'integer', 'big') : undefined;
    if (!field || value === undefined) return this.raw(e, source);
    this.emit(`${field.text} set ${value}`);
  }

  private immediate(e: ImmediateExpression): void {
    if (e.dreg === 0) return this.emit(verdictText(e.data?.verdict) ?? describeExpression(e));
    if (!e.data?.value) return this.emit(describeExpression(e));
    this.load(e.dreg, { kind: 'constant', bytes: e.data.value, raw: [e] }, e);
  }

  private bitwise(e: BitwiseExpression): void {
    const source = this.registers.take(e.sreg);
    const shift = e.op === 'lshift' ? '<<' : e.op === 'rshift' ? '>>' : undefined;
    if (shift && source?.kind === 'named' && !source.mask && e.data?.value) {
      // The shift amount is a host-order u32 (nft_bitwise_init_shift).
      const text = `${source.text} ${shift} ${toBigInt(e.data.value, 'host')}`;
      return this.load(e.dreg, { ...source, text, raw: [...source.raw, e] }, e);
    }
    const maskXor = e.op === undefined || e.op === 'mask_xor';
    if (!source || !maskXor || !e.mask?.value || !e.xor?.value || (source.kind !== 'payload' && source.kind !== 'named') || source.mask) {
      return this.raw(e, source);
    }
    this.load(e.dreg, { ...source, mask: e.mask.value, xor: e.xor.value, raw: [...source.raw, e] }, e);
  }

  // --- statements with register operands -----------------------------------------------------

  private nat(e: Extract<Expression, { type: 'nat' }>): void {
    if (this.addressPortMap(e)) return;
    const operands = [this.registers.take(e.addrMin), this.registers.take(e.addrMax), this.registers.take(e.protoMin), this.registers.take(e.protoMax)];
    const [addrMin, addrMax, protoMin, protoMax] = operands;
    const ipv6 = e.family === 'ip6';
    const addressType: Datatype = ipv6 ? 'ipv6_addr' : 'ipv4_addr';
    const address = this.rangeText(addrMin, addrMax, addressType);
    const port = this.rangeText(protoMin, protoMax, 'inet_service');
    const keyword = typeof e.natType === 'string' ? e.natType : undefined;
    if (!keyword || (e.addrMin !== undefined && address === undefined) || (e.protoMin !== undefined && port === undefined)) return this.raw(e, ...operands);
    const family = this.options.family === 'ip' || this.options.family === 'ip6' || typeof e.family !== 'string' ? undefined : e.family;
    this.emit(natText(keyword, { ...(family ? { family } : {}), ...(address !== undefined ? { address } : {}), ...(port !== undefined ? { port } : {}), ipv6 }, natFlagsText(e.flags)));
  }

  /**
   * `dnat ip addr . port to KEY map { … }`: one lookup loads an address and a port, proto_min
   * being the 4-byte slot right after the address. nft lists it as `dnat ip to KEY map { k : a . p }`.
   */
  private addressPortMap(e: Extract<Expression, { type: 'nat' }>): boolean {
    // The kernel dumps the max registers equal to the min ones when they were not given.
    const single = (min: number | undefined, max: number | undefined): boolean => min !== undefined && (max === undefined || max === min);
    if (!single(e.addrMin, e.addrMax) || !single(e.protoMin, e.protoMax)) return false;
    if (e.addrMin === undefined || e.protoMin === undefined) return false;
    const ipv6 = e.family === 'ip6';
    const slot = registerSlot(e.addrMin);
    const held = this.registers.peek(e.addrMin);
    if (slot === undefined || held?.kind !== 'map' || registerSlot(e.protoMin) !== slot + (ipv6 ? 4 : 1)) return false;
    this.registers.take(e.addrMin);
    const address = { type: (ipv6 ? 'ipv6_addr' : 'ipv4_addr') as Datatype, order: 'big' as const, size: ipv6 ? 16 : 4 };
    const text = this.mapText(held, { kind: 'concat', parts: [address, { type: 'inet_service', order: 'big', size: 2 }] });
    if (text === undefined || typeof e.natType !== 'string') this.raw(e, held);
    else this.emit(`${e.natType} ${typeof e.family === 'string' ? e.family : 'ip'} to ${text}${natFlagsText(e.flags)}`);
    return true;
  }

  private natLike(e: Expression, keyword: string, protoMin: number | undefined, protoMax: number | undefined, flags: Parameters<typeof natFlagsText>[0]): void {
    const min = this.registers.take(protoMin);
    const max = this.registers.take(protoMax);
    const port = this.rangeText(min, max, 'inet_service');
    if (protoMin !== undefined && port === undefined) return this.raw(e, min, max);
    this.emit(natText(keyword, port !== undefined ? { port } : {}, natFlagsText(flags)));
  }

  /** `a` or `a-b` for NAT targets held in one or two registers. */
  private rangeText(min: Operand | undefined, max: Operand | undefined, type: Datatype): string | undefined {
    const lo = this.valueText(min, type, 'big');
    if (lo === undefined || !max) return lo;
    const hi = this.valueText(max, type, 'big');
    if (hi === undefined) return undefined;
    // An address range that is exactly a prefix prints as one, as nft does (`snat to 10.0.0.0/24`).
    if ((type === 'ipv4_addr' || type === 'ipv6_addr') && min?.kind === 'constant' && max.kind === 'constant') {
      const len = prefixOfRange(min.bytes, max.bytes);
      if (len !== undefined) return `${lo}/${len}`;
    }
    return `${lo}-${hi}`;
  }

  private reject(e: Extract<Expression, { type: 'reject' }>): void {
    const family = this.options.family;
    // nft drops the protocol match a reject depends on: tcp for a reset in ip/ip6 tables, the
    // network protocol in inet/bridge/netdev tables.
    if (family === 'ip' || family === 'ip6') {
      if (e.rejectType === 'tcp reset') this.uses('transport', 'tcp');
    } else if (e.rejectType !== 'icmpx') {
      const network = this.dependencies.get('network');
      if (network) this.uses('network', network.protocol);
    }
    this.emit(rejectText(e, family, this.context.network));
  }

  /** `counter name "foo"`, or by lookup: `counter name ip saddr map { 10.0.0.1 : "foo" }`. */
  private objref(e: Extract<Expression, { type: 'objref' }>): void {
    if (e.setSreg === undefined) return this.emit(objrefText(e) ?? describeExpression(e));
    const set = this.options.resolveSet?.({ ...(e.setName !== undefined ? { name: e.setName } : {}), ...(e.setId !== undefined ? { id: e.setId } : {}) });
    const operands = this.registers.takeConcatenation(e.setSreg, set?.elements[0]?.key.length);
    const parts = operands.map((o) => this.component(o));
    const kind = set?.objectType;
    if (!set || !kind || operands.length === 0 || parts.some((p) => !p)) return this.raw(e, ...operands);
    const layout = parts as KeyComponent[];
    for (const p of parts) if (p?.view) this.uses(p.view.layer, p.view.protocol);
    const name = ANONYMOUS_SET.test(set.name) ? formatSet(set, layout, undefined, this.options) : `@${set.name}`;
    this.emit(`${kind} name ${layout.map((p) => p.text).join(' . ')} map ${name}`);
  }

  private dynset(e: DynsetExpression): void {
    const key = this.registers.takeConcatenation(e.sregKey, undefined);
    const data = this.registers.take(e.sregData);
    const parts = key.map((o) => this.component(o));
    const op = typeof e.op === 'string' ? e.op : undefined;
    if (!op || e.set === undefined || key.length === 0 || parts.some((p) => !p) || (e.sregData !== undefined && !data)) return this.raw(e, ...key, data);
    let text = parts.map((p) => p!.text).join(' . ');
    if (e.timeout) text += ` timeout ${durationText(e.timeout)}`; // the kernel dumps 0 for none
    if (data) {
      const value = data.kind === 'named' ? data.text : undefined;
      if (value === undefined) return this.raw(e, ...key, data);
      text += ` : ${value}`;
    }
    const nested = [...(e.expr ? [e.expr] : []), ...(e.expressions ?? [])] as Expression[];
    for (const n of nested) text += ` ${renderRule([n], { ...this.options, stateless: true })}`;
    this.emit(`${op} @${e.set} { ${text} }`);
  }
}

/** The prefix length when [first, last] is exactly one prefix (first's host bits clear, last's set). */
function prefixOfRange(first: Uint8Array, last: Uint8Array): number | undefined {
  if (first.length !== last.length) return undefined;
  const bits = first.length * 8;
  const a = toBigInt(first, 'big');
  const b = toBigInt(last, 'big');
  for (let len = 0; len <= bits; len++) {
    const size = 1n << BigInt(bits - len);
    if (a % size === 0n && b === a + size - 1n) return len;
  }
  return undefined;
}

/** Expressions as their `nft --debug=netlink` lines, for what the renderer cannot name. */
function rawText(expressions: readonly Expression[]): string {
  return expressions.map(describeExpression).join(' ');
}


/**
 * Print a rule's expressions in nft syntax, the way `nft list ruleset` does for the statements
 * it knows; anything else appears as its `nft --debug=netlink` line.
 */
export function renderRule(expressions: readonly Expression[], options: RenderOptions): string {
  return new RuleRenderer(options).render(expressions);
}
