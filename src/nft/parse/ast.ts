/**
 * The syntax tree of nft commands and rule statements, as parsed and before any compiling.
 * Every node keeps the span of the input it came from, so later errors (a value of the wrong
 * type, a conflicting protocol, an attribute the kernel refused) can point at it.
 */
import type { TableFamily } from '../constants.js';
import type { CtKeyName, MetaKeyName } from '../expressions/constants.js';
import type { HeaderProtocolName } from '../render/fields.js';
import type { Span } from './errors.js';

// ---------------------------------------------------------------------------------------------
// Values: what stands right of a match, in a set, or as a NAT target

/** One value as written: a number, address, name, duration, or a quoted string. */
export interface WordValue {
  kind: 'word';
  text: string;
  /** Written in double quotes (interface names, comments). */
  quoted: boolean;
  span: Span;
}

/** `10.0.0.0/8` */
export interface PrefixValue {
  kind: 'prefix';
  value: WordValue;
  length: number;
  span: Span;
}

/** `80-90`, `10.0.0.1-10.0.0.9` */
export interface RangeValue {
  kind: 'range';
  from: WordValue;
  to: WordValue;
  span: Span;
}

/** `established,related` (flag values OR'ed) */
export interface ListValue {
  kind: 'list';
  items: WordValue[];
  span: Span;
}

/** `10.0.0.1 . 80` (a value for a concatenated key) */
export interface ConcatValue {
  kind: 'concat';
  parts: SimpleValue[];
  span: Span;
}

export type SimpleValue = WordValue | PrefixValue | RangeValue | ListValue;

/** `jump other`, `accept` … as map data of a verdict map. */
export interface VerdictValue {
  kind: 'verdict';
  verdict: VerdictName;
  chain?: string;
  span: Span;
}

/** One element of a set or map literal: `10.0.0.1`, `80 : 10.0.0.2`, `1.2.3.4 timeout 30s`. */
export interface SetElementNode {
  key: SimpleValue | ConcatValue;
  data?: SimpleValue | ConcatValue | VerdictValue;
  /** Element timeout in milliseconds. */
  timeout?: bigint;
  comment?: string;
  span: Span;
}

/** `{ a, b, c : d }` */
export interface SetLiteral {
  kind: 'set';
  elements: SetElementNode[];
  span: Span;
}

/** `@name`: a named set or map. */
export interface SetReference {
  kind: 'setref';
  name: string;
  span: Span;
}

/** `tcp dport map { 80 : 10.0.0.2 }` used as a value (a NAT target, a `set` value). */
export interface MapLookupValue {
  kind: 'map';
  key: SelectorNode;
  map: SetLiteral | SetReference;
  span: Span;
}

/** A key used as a value: `meta mark set ct mark`. */
export interface SelectorValue {
  kind: 'selector';
  selector: SelectorNode;
  span: Span;
}

export type ValueNode = SimpleValue | ConcatValue | SetLiteral | SetReference | MapLookupValue | SelectorValue;

// ---------------------------------------------------------------------------------------------
// Selectors: what a rule loads and compares

export interface PayloadSelector {
  kind: 'payload';
  protocol: HeaderProtocolName;
  field: string;
  span: Span;
}

export interface MetaSelector {
  kind: 'meta';
  key: MetaKeyName;
  span: Span;
}

export interface CtSelector {
  kind: 'ct';
  key: CtKeyName;
  direction?: 'original' | 'reply';
  span: Span;
}

export type FibKey = 'saddr' | 'daddr' | 'mark' | 'iif' | 'oif';
export type FibResultName = 'type' | 'oif' | 'oifname';

/** `fib daddr type`, `fib saddr . iif oif` */
export interface FibSelector {
  kind: 'fib';
  keys: FibKey[];
  result: FibResultName;
  span: Span;
}

/** `ip saddr . tcp dport` */
export interface ConcatSelector {
  kind: 'concat';
  parts: Exclude<SelectorNode, ConcatSelector>[];
  span: Span;
}

export type SelectorNode = PayloadSelector | MetaSelector | CtSelector | FibSelector | ConcatSelector;

// ---------------------------------------------------------------------------------------------
// Statements

export type RelationalOp = 'implicit' | 'eq' | 'neq' | 'lt' | 'gt' | 'lte' | 'gte';
export type VerdictName = 'accept' | 'drop' | 'return' | 'continue' | 'jump' | 'goto';
export type NatFlagName = 'random' | 'fully-random' | 'persistent';
export type LogFlagName = 'tcpseq' | 'tcpopt' | 'ipopt' | 'uid' | 'macdecode';

/** `ip saddr 10.0.0.0/8`, `tcp dport != { 22, 23 }`, `ct state established` */
export interface MatchStatement {
  kind: 'match';
  left: SelectorNode;
  op: RelationalOp;
  right: ValueNode;
  span: Span;
}

/** `tcp dport vmap { 22 : accept }` */
export interface VmapStatement {
  kind: 'vmap';
  key: SelectorNode;
  map: SetLiteral | SetReference;
  span: Span;
}

export interface VerdictStatement {
  kind: 'verdict';
  verdict: VerdictName;
  chain?: string;
  span: Span;
}

export interface CounterStatement {
  kind: 'counter';
  packets?: bigint;
  bytes?: bigint;
  span: Span;
}

export interface LimitStatement {
  kind: 'limit';
  /** Packets (or bytes) per `unit` seconds. */
  rate: bigint;
  unit: bigint;
  burst?: number;
  bytes: boolean;
  over: boolean;
  /** The units as written (`kbytes`), for printing the rate back as given. */
  rateUnit?: string;
  burstUnit?: string;
  span: Span;
}

export interface LogStatement {
  kind: 'log';
  prefix?: string;
  level?: string;
  group?: number;
  snaplen?: number;
  queueThreshold?: number;
  flags: LogFlagName[];
  span: Span;
}

export interface RejectStatement {
  kind: 'reject';
  with?: { type: 'icmp' | 'icmpv6' | 'icmpx' | 'tcp reset'; code?: WordValue; span: Span };
  span: Span;
}

/** snat, dnat, masquerade, redirect */
export interface NatStatement {
  kind: 'nat';
  type: 'snat' | 'dnat' | 'masquerade' | 'redirect';
  /** `dnat ip to …` / `dnat ip6 to …` (inet tables). */
  family?: 'ip' | 'ip6';
  /** `dnat ip addr . port to MAP`: the map's data is an address and a port. */
  addrPort?: boolean;
  /** An address, a range or prefix of addresses, or a map lookup. */
  addr?: SimpleValue | MapLookupValue;
  /** A port or a range of ports. */
  port?: SimpleValue;
  flags: NatFlagName[];
  keywordSpan: Span;
  span: Span;
}

/** `meta mark set 0x10`, `ct mark set meta mark` */
export interface SetStatement {
  kind: 'set-key';
  target: MetaSelector | CtSelector;
  value: ValueNode;
  span: Span;
}

export interface QuotaStatement {
  kind: 'quota';
  bytes: bigint;
  over: boolean;
  used?: bigint;
  /** The amounts as written: number and unit (`10 mbytes`). */
  written?: { value: bigint; unit: string; used?: { value: bigint; unit: string } };
  span: Span;
}

export interface NotrackStatement {
  kind: 'notrack';
  span: Span;
}

export type StatementNode =
  | MatchStatement | VmapStatement | VerdictStatement | CounterStatement | LimitStatement | LogStatement
  | RejectStatement | NatStatement | SetStatement | QuotaStatement | NotrackStatement;

/** A rule body: its statements and its comment. */
export interface RuleBody {
  statements: StatementNode[];
  comment?: string;
  span: Span;
}

// ---------------------------------------------------------------------------------------------
// Commands

export type Verb = 'add' | 'create' | 'insert' | 'replace' | 'delete' | 'destroy' | 'flush' | 'list';

export interface TableOptions {
  flags?: string[];
  comment?: string;
}

export interface ChainOptions {
  type?: string;
  hook?: string;
  device?: string;
  /** A number or a standard name with an optional offset (`srcnat + 5`). */
  priority?: { base: string | number; offset: number; span: Span };
  policy?: 'accept' | 'drop';
  comment?: string;
}

export interface SetOptions {
  /** Key datatypes (several for a concatenation). */
  key?: string[];
  /** Map data datatypes, or ['verdict']. */
  data?: string[];
  flags?: string[];
  timeout?: bigint;
  gcInterval?: bigint;
  size?: number;
  policy?: 'performance' | 'memory';
  comment?: string;
  elements?: SetElementNode[];
  span: Span;
}

interface CommandBase {
  verb: Verb;
  span: Span;
  /** Where the command names its objects (table, chain, name, set, handle), to point at them. */
  argSpans?: Partial<Record<'table' | 'chain' | 'name' | 'set' | 'handle', Span>>;
}

export interface TableCommand extends CommandBase {
  object: 'table';
  family: TableFamily;
  name?: string;
  handle?: bigint;
  options?: TableOptions;
  /** Declared as a `table … { }` block of an nft -f file (nft then always sends its flags). */
  block?: boolean;
}

export interface ChainCommand extends CommandBase {
  object: 'chain';
  family: TableFamily;
  table: string;
  name?: string;
  handle?: bigint;
  options?: ChainOptions;
}

export interface RuleCommand extends CommandBase {
  object: 'rule';
  family: TableFamily;
  table: string;
  chain: string;
  /** replace/delete: the rule; add/insert: the rule to place the new one after/before. */
  handle?: bigint;
  body?: RuleBody;
}

export interface SetCommand extends CommandBase {
  object: 'set' | 'map';
  family: TableFamily;
  table: string;
  name: string;
  options?: SetOptions;
}

export interface ElementCommand extends CommandBase {
  object: 'element';
  family: TableFamily;
  table: string;
  set: string;
  elements: SetElementNode[];
}

/** `list ruleset`, `flush ruleset`, `list tables`, `list chains`, `list sets`, `list maps`. */
export interface CollectionCommand extends CommandBase {
  object: 'ruleset' | 'tables' | 'chains' | 'sets' | 'maps';
  family?: TableFamily;
}

export interface MonitorCommand {
  verb: 'monitor';
  object: 'monitor';
  /** `new` or `destroy`: only those events. */
  event?: 'new' | 'destroy';
  /** tables, chains, rules, sets, elements, ruleset (= all). */
  what?: string;
  span: Span;
}

export type CommandNode = TableCommand | ChainCommand | RuleCommand | SetCommand | ElementCommand | CollectionCommand | MonitorCommand;
