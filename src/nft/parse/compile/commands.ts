/**
 * Parsed commands → one nf_tables batch (every write of a command line or a whole `-f` file,
 * applied all or nothing), the reads to run after it (`list …`), and where each batch message
 * came from in the source (to point at whatever the kernel refuses).
 */
import { NlmFlags } from '../../../netlink/constants.js';
import { ValidationError } from '../../../netlink/errors.js';
import { addChain, deleteChain, flushChain, type ChainSpec } from '../../chain-commands.js';
import type { NftCommand } from '../../command.js';
import type { TableFamily } from '../../constants.js';
import type { ChainType } from '../../chain.js';
import { priorityNumber, type HookName, type PriorityName } from '../../hooks.js';
import { addRule, deleteRule, insertRule, replaceRule, type RuleSpec } from '../../rule-commands.js';
import { flushSet, deleteSet } from '../../set-commands.js';
import { addTable, deleteTable, flushTable } from '../../table-commands.js';
import type { TableFlag } from '../../table.js';
import type { ChainCommand, CommandNode, ElementCommand, MonitorCommand, RuleCommand, SetCommand, TableCommand } from '../ast.js';
import { ParseError, type Source, type Span } from '../errors.js';
import { CompileError } from './compile-error.js';
import type { ValueResolvers } from './datatypes.js';
import { encodeElements } from './elements.js';
import { compileRule } from './rule.js';
import { declareSet, type SetDescription } from './set-declarations.js';

/** A read to run after the batch: `list ruleset`, `list table ip nat` … */
export interface ReadRequest {
  what: 'ruleset' | 'tables' | 'chains' | 'sets' | 'maps' | 'table' | 'chain' | 'set' | 'map';
  family?: TableFamily;
  table?: string;
  name?: string;
  span: Span;
  /** Where the listed object's name was written (to point at it when it does not exist). */
  nameSpan?: Span;
}

/** Where a batch message came from. */
export interface Origin {
  span: Span;
  /** For a rule: the statement each expression came from. */
  expressions?: Span[];
  /** Where the command named what an attribute carries (`chain`, `table`, `position` …). */
  attributes?: Readonly<Record<string, Span>>;
}

/** The kernel attributes each named part of a command ends up in. */
function attributeSpans(c: CommandNode): Record<string, Span> | undefined {
  const a = 'argSpans' in c ? c.argSpans : undefined;
  if (!a) return undefined;
  const out: Record<string, Span> = {};
  if (a.table) out.table = a.table;
  if (a.chain) out.chain = a.chain;
  if (a.name) out.name = a.name;
  if (a.set) out.set = a.set;
  if (a.handle) out.handle = out.position = a.handle;
  return out;
}

export interface CompiledCommands {
  /** The writes, in order, as one batch (a rule's anonymous sets just before it). */
  batch: NftCommand[];
  origins: Origin[];
  reads: ReadRequest[];
  monitor?: MonitorCommand;
}

export interface CommandCompileOptions {
  resolvers?: ValueResolvers;
  /** A set the kernel already holds (for `add element` to it), or undefined when unknown. */
  kernelSet?(family: TableFamily, table: string, name: string): SetDescription | undefined;
}

class Compiler {
  readonly batch: NftCommand[] = [];
  readonly origins: Origin[] = [];
  readonly reads: ReadRequest[] = [];
  monitor?: MonitorCommand;
  private setId = 0;
  /** Sets declared in this batch: ids (for lookups by id) and descriptions (for elements). */
  private readonly declared = new Map<string, { id: number; description: SetDescription }>();
  /** Ids given to existing sets the batch refers to (nft numbers those too; the kernel finds them by name). */
  private readonly referenced = new Map<string, number>();

  private setIdOf(key: string): number {
    const declared = this.declared.get(key);
    if (declared) return declared.id;
    let id = this.referenced.get(key);
    if (id === undefined) {
      id = this.nextSetId();
      this.referenced.set(key, id);
    }
    return id;
  }

  constructor(readonly source: Source, readonly options: CommandCompileOptions) {}

  /** The command being compiled (its named parts locate kernel errors). */
  private current: CommandNode | undefined;

  private push(command: NftCommand, span: Span, expressions?: Span[]): void {
    this.batch.push(command);
    const attributes = this.current ? attributeSpans(this.current) : undefined;
    this.origins.push({ span, ...(expressions ? { expressions } : {}), ...(attributes ? { attributes } : {}) });
  }

  private nextSetId = (): number => ++this.setId;

  /** Builder input errors become errors pointing at the command. */
  private guard<T>(span: Span, build: () => T): T {
    try {
      return build();
    } catch (err) {
      if (err instanceof ParseError) throw err;
      if (err instanceof CompileError) throw new ParseError(err.message, this.source, err.span, err.context);
      if (err instanceof ValidationError) throw new ParseError(err.message, this.source, span);
      throw err;
    }
  }

  command(c: CommandNode): void {
    this.current = c;
    if (c.verb === 'monitor') {
      this.monitor = c;
      return;
    }
    if (c.verb === 'list') {
      const named = c as unknown as { name?: string; table?: string };
      this.reads.push({
        what: c.object as ReadRequest['what'],
        ...('family' in c && c.family ? { family: c.family } : {}),
        ...(c.object === 'table' ? { name: named.name! } : {}),
        ...(c.object === 'chain' || c.object === 'set' || c.object === 'map' ? { table: named.table!, name: named.name! } : {}),
        ...('argSpans' in c && c.argSpans?.name ? { nameSpan: c.argSpans.name } : {}),
        span: c.span,
      });
      return;
    }
    this.guard(c.span, () => {
      switch (c.object) {
        case 'ruleset':
          // flush ruleset: NFT_MSG_DELTABLE without a name deletes every table (of the family).
          return this.push({ type: 'NFT_MSG_DELTABLE', family: c.family ?? 'unspec', attributes: {}, description: `flush ruleset${c.family ? ` ${c.family}` : ''}` }, c.span);
        case 'table': return this.table(c);
        case 'chain': return this.chain(c);
        case 'rule': return this.rule(c);
        case 'set': case 'map': return this.set(c);
        case 'element': return this.elements(c);
        default: throw new CompileError(`${c.verb} ${c.object} is not supported`, c.span);
      }
    });
  }

  private table(c: TableCommand): void {
    const ref = c.handle !== undefined ? { family: c.family, handle: c.handle } : { family: c.family, name: c.name! };
    if (c.verb === 'delete' || c.verb === 'destroy') return this.push(deleteTable(ref, { ifExists: c.verb === 'destroy' }), c.span);
    if (c.verb === 'flush') return this.push(flushTable({ family: c.family, name: c.name! }), c.span);
    // nft sends a block-declared table's flags even when there are none.
    const flags = c.options?.flags ?? (c.block ? [] : undefined);
    const spec = { family: c.family, name: c.name!, ...(flags ? { flags: flags as TableFlag[] } : {}), ...(c.options?.comment !== undefined ? { comment: c.options.comment } : {}) };
    this.push(addTable(spec, { exclusive: c.verb === 'create' }), c.span);
  }

  private chain(c: ChainCommand): void {
    const ref = { family: c.family, table: c.table };
    if (c.verb === 'delete' || c.verb === 'destroy') {
      return this.push(deleteChain(c.handle !== undefined ? { ...ref, handle: c.handle } : { ...ref, name: c.name! }, { ifExists: c.verb === 'destroy' }), c.span);
    }
    if (c.verb === 'flush') return this.push(flushChain({ ...ref, name: c.name! }), c.span);
    const o = c.options ?? {};
    const spec: ChainSpec = { ...ref, name: c.name! };
    if (o.type !== undefined) spec.type = o.type as ChainType;
    if (o.hook !== undefined) spec.hook = o.hook as HookName;
    if (o.priority !== undefined) {
      const p = o.priority;
      spec.priority = typeof p.base === 'number' ? p.base : this.guard(p.span, () => priorityNumber(c.family, p.base as PriorityName, 'priority')) + p.offset;
    }
    if (o.policy !== undefined) spec.policy = o.policy;
    if (o.device !== undefined) spec.device = o.device;
    if (o.comment !== undefined) spec.comment = o.comment;
    this.push(addChain(spec, { exclusive: c.verb === 'create' }), c.span);
  }

  private rule(c: RuleCommand): void {
    const ref = { family: c.family, table: c.table, chain: c.chain };
    if (c.verb === 'delete' || c.verb === 'destroy') return this.push(deleteRule({ ...ref, handle: c.handle! }, { ifExists: c.verb === 'destroy' }), c.span);
    const compiled = compileRule(c.body!, this.source, {
      family: c.family,
      table: c.table,
      ...(this.options.resolvers ? { resolvers: this.options.resolvers } : {}),
      nextSetId: this.nextSetId,
      namedSetId: (name) => this.setIdOf(`${c.family} ${c.table} ${name}`),
      namedSet: (name) => this.declared.get(`${c.family} ${c.table} ${name}`)?.description ?? this.options.kernelSet?.(c.family, c.table, name),
    });
    for (const set of compiled.sets) this.push(set, c.body!.span);
    const spec: RuleSpec = { ...ref, expressions: compiled.expressions, ...(compiled.comment !== undefined ? { comment: compiled.comment } : {}) };
    let command: NftCommand;
    if (c.verb === 'replace') command = replaceRule({ ...spec, handle: c.handle! });
    else if (c.verb === 'insert') command = insertRule(c.handle !== undefined ? { ...spec, before: c.handle } : spec);
    else command = addRule(c.handle !== undefined ? { ...spec, after: c.handle } : spec);
    this.push(command, c.span, compiled.origins);
  }

  private set(c: SetCommand): void {
    const ref = { family: c.family, table: c.table, name: c.name };
    if (c.verb === 'delete' || c.verb === 'destroy') return this.push(deleteSet(ref, { ifExists: c.verb === 'destroy' }), c.span);
    if (c.verb === 'flush') return this.push(flushSet(ref), c.span);
    const id = this.nextSetId();
    const { command, description } = declareSet(c.family, c.table, c.name, c.object === 'map', c.options!, id, c.verb === 'create');
    this.declared.set(`${c.family} ${c.table} ${c.name}`, { id, description });
    this.push(command, c.span);
    const elements = c.options?.elements;
    if (elements && elements.length > 0) {
      const encoded = encodeElements(elements, description.key, description.data, description.interval, this.options.resolvers ?? {});
      this.push({ type: 'NFT_MSG_NEWSETELEM', family: c.family, flags: NlmFlags.NLM_F_CREATE, attributes: { table: c.table, set: c.name, setId: id, elements: encoded.elements } }, c.span);
    }
  }

  private elements(c: ElementCommand): void {
    const known = this.declared.get(`${c.family} ${c.table} ${c.set}`);
    const description = known?.description ?? this.options.kernelSet?.(c.family, c.table, c.set);
    if (!description) throw new CompileError(`no set '${c.set}' in table ${c.family} ${c.table} (or its type is not one netns-ts can encode)`, c.span);
    const remove = c.verb === 'delete';
    const elements = remove ? c.elements.map(({ data: _data, ...rest }) => rest) : c.elements;
    const encoded = encodeElements(elements, description.key, remove ? undefined : description.data, description.interval, this.options.resolvers ?? {});
    const attributes = { table: c.table, set: c.set, setId: this.setIdOf(`${c.family} ${c.table} ${c.set}`), elements: encoded.elements };
    const flags = remove ? 0 : NlmFlags.NLM_F_CREATE | (c.verb === 'create' ? NlmFlags.NLM_F_EXCL : 0);
    this.push({ type: remove ? 'NFT_MSG_DELSETELEM' : 'NFT_MSG_NEWSETELEM', family: c.family, flags, attributes }, c.span);
  }
}

/** Compile parsed commands. @throws ParseError pointing into `source` */
export function compileCommands(commands: readonly CommandNode[], source: Source, options: CommandCompileOptions = {}): CompiledCommands {
  const compiler = new Compiler(source, options);
  for (const c of commands) compiler.command(c);
  return { batch: compiler.batch, origins: compiler.origins, reads: compiler.reads, ...(compiler.monitor ? { monitor: compiler.monitor } : {}) };
}
