/**
 * Parsing nft commands (`add rule ip nat POSTROUTING …`, `list ruleset`, `delete rule … handle
 * 4`) and `nft -f` files: commands one per line or `;`, `define NAME = value`, and the block
 * form `table ip nat { chain post { type nat hook postrouting priority srcnat; … rules } set s
 * { … } }`, which is expanded into the commands it stands for.
 */
import { TABLE_FAMILIES, type TableFamily } from '../constants.js';
import type {
  ChainCommand, ChainOptions, CommandNode, ElementCommand, RuleCommand, SetCommand, TableCommand, TableOptions, Verb,
} from './ast.js';
import type { Source } from './errors.js';
import type { Token } from './lexer.js';
import { parseRuleBody } from './parse-statements.js';
import { blockItems, handleOf, parseChainItem, parseTableItem, setOptions } from './parse-declarations.js';
import { parseSetLiteral } from './parse-values.js';
import { TokenStream } from './token-stream.js';
import { parseInteger } from './units.js';

const VERBS: readonly Verb[] = ['add', 'create', 'insert', 'replace', 'delete', 'destroy', 'flush', 'list'];
const U64_MAX = 2n ** 64n - 1n;
/** Objects each verb applies to. */
const OBJECTS: Readonly<Record<Verb, readonly string[]>> = {
  add: ['table', 'chain', 'rule', 'set', 'map', 'element'],
  create: ['table', 'chain', 'set', 'map', 'element'],
  insert: ['rule'],
  replace: ['rule'],
  delete: ['table', 'chain', 'rule', 'set', 'map', 'element'],
  destroy: ['table', 'chain', 'rule', 'set', 'map'],
  flush: ['ruleset', 'table', 'chain', 'set', 'map'],
  list: ['ruleset', 'tables', 'table', 'chains', 'chain', 'sets', 'set', 'maps', 'map'],
};

function family(s: TokenStream): TableFamily {
  const t = s.peek();
  if (t.kind === 'word' && (TABLE_FAMILIES as readonly string[]).includes(t.text) && s.peek(1).kind !== 'eof' && !isBlockStart(s.peek(1))) {
    s.next();
    return t.text as TableFamily;
  }
  return 'ip';
}

function isBlockStart(t: Token): boolean {
  return t.kind === 'punct' && t.text === '{';
}

type ArgSpans = Partial<Record<'table' | 'chain' | 'name' | 'set' | 'handle', { start: number; end: number }>>;

function named(s: TokenStream, spans: ArgSpans, key: 'table' | 'chain' | 'name' | 'set', what: string): string {
  const t = s.expectName(what);
  spans[key] = { start: t.start, end: t.end };
  return t.text;
}

function handleAt(s: TokenStream, spans: ArgSpans): bigint {
  const start = s.peek().start;
  const h = handleOf(s);
  spans.handle = s.spanFrom(start);
  return h;
}

/** One command after its verb. */
function parseObject(s: TokenStream, verb: Verb, start: number): CommandNode[] {
  const objects = OBJECTS[verb];
  const o = s.peek();
  if (o.kind !== 'word' || !objects.includes(o.text)) throw s.unexpected(o, objects.join(', '));
  s.next();
  switch (o.text) {
    case 'ruleset': case 'tables': case 'chains': case 'sets': case 'maps': {
      const f = s.isWord(...TABLE_FAMILIES) ? (s.next().text as TableFamily) : undefined;
      return [{ verb, object: o.text, ...(f ? { family: f } : {}), span: s.spanFrom(start) }];
    }
    case 'table': {
      const spans: ArgSpans = {};
      const cmd: TableCommand = { verb, object: 'table', family: family(s), span: { start, end: start }, argSpans: spans };
      if ((verb === 'delete' || verb === 'destroy') && s.isWord('handle')) cmd.handle = handleAt(s, spans);
      else cmd.name = named(s, spans, 'name', 'a table name');
      if ((verb === 'add' || verb === 'create') && s.isPunct('{')) {
        const options: TableOptions = {};
        blockItems(s, () => {
          if (!parseTableItem(s, options)) throw s.unexpected(s.peek(), "'flags' or 'comment' (use nft -f syntax for chains and sets)");
        });
        cmd.options = options;
      }
      cmd.span = s.spanFrom(start);
      return [cmd];
    }
    case 'chain': {
      const spans: ArgSpans = {};
      const f = family(s);
      const cmd: ChainCommand = { verb, object: 'chain', family: f, table: named(s, spans, 'table', 'a table name'), span: { start, end: start }, argSpans: spans };
      if ((verb === 'delete' || verb === 'destroy') && s.isWord('handle')) cmd.handle = handleAt(s, spans);
      else cmd.name = named(s, spans, 'name', 'a chain name');
      if ((verb === 'add' || verb === 'create') && s.isPunct('{')) {
        const options: ChainOptions = {};
        blockItems(s, () => {
          if (!parseChainItem(s, options)) throw s.unexpected(s.peek(), "'type', 'policy' or 'comment'");
        });
        cmd.options = options;
      }
      cmd.span = s.spanFrom(start);
      return [cmd];
    }
    case 'rule': {
      const spans: ArgSpans = {};
      const f = family(s);
      const table = named(s, spans, 'table', 'a table name');
      const cmd: RuleCommand = { verb, object: 'rule', family: f, table, chain: named(s, spans, 'chain', 'a chain name'), span: { start, end: start }, argSpans: spans };
      if (verb === 'replace' || verb === 'delete' || verb === 'destroy') cmd.handle = handleAt(s, spans);
      else if (s.isWord('position', 'handle')) {
        const at = s.next().start;
        cmd.handle = parseInteger(s, 'a rule handle', U64_MAX);
        spans.handle = s.spanFrom(at);
      }
      if (verb !== 'delete' && verb !== 'destroy') cmd.body = parseRuleBody(s);
      cmd.span = s.spanFrom(start);
      return [cmd];
    }
    case 'set': case 'map': {
      const spans: ArgSpans = {};
      const f = family(s);
      const table = named(s, spans, 'table', 'a table name');
      const cmd: SetCommand = { verb, object: o.text, family: f, table, name: named(s, spans, 'name', `a ${o.text} name`), span: { start, end: start }, argSpans: spans };
      if (verb === 'add' || verb === 'create') {
        if (!s.isPunct('{')) throw s.unexpected(s.peek(), `'{' with the ${o.text}'s type`);
        cmd.options = setOptions(s, o.text === 'map');
      }
      cmd.span = s.spanFrom(start);
      return [cmd];
    }
    default: {
      const spans: ArgSpans = {};
      const f = family(s);
      const table = named(s, spans, 'table', 'a table name');
      const cmd: ElementCommand = { verb, object: 'element', family: f, table, set: named(s, spans, 'set', 'a set name'), elements: [], span: { start, end: start }, argSpans: spans };
      cmd.elements = parseSetLiteral(s, 'any').elements;
      cmd.span = s.spanFrom(start);
      return [cmd];
    }
  }
}

/** `table ip t { … }` in a file: the table and everything declared in it. */
function parseTableBlock(s: TokenStream, start: number): CommandNode[] {
  const f = family(s);
  const name = s.expectName('a table name').text;
  const table: TableCommand = { verb: 'add', object: 'table', family: f, name, block: true, span: { start, end: start } };
  const options: TableOptions = {};
  const chains: CommandNode[] = [];
  const sets: CommandNode[] = [];
  const rules: CommandNode[] = [];
  blockItems(s, () => {
    const t = s.peek();
    if (parseTableItem(s, options)) return;
    if (s.acceptWord('chain')) {
      const chain: ChainCommand = { verb: 'add', object: 'chain', family: f, table: name, name: s.expectName('a chain name').text, span: { start: t.start, end: t.end } };
      const chainOptions: ChainOptions = {};
      blockItems(s, () => {
        if (parseChainItem(s, chainOptions)) return;
        const ruleStart = s.peek().start;
        const body = parseRuleBody(s);
        rules.push({ verb: 'add', object: 'rule', family: f, table: name, chain: chain.name!, body, span: s.spanFrom(ruleStart) });
      });
      if (Object.keys(chainOptions).length > 0) chain.options = chainOptions;
      chain.span = { start: t.start, end: t.end };
      chains.push(chain);
      return;
    }
    if (s.isWord('set', 'map')) {
      const kind = s.next().text as 'set' | 'map';
      const setName = s.expectName(`a ${kind} name`);
      sets.push({ verb: 'add', object: kind, family: f, table: name, name: setName.text, options: setOptions(s, kind === 'map'), span: { start: t.start, end: setName.end } });
      return;
    }
    throw s.unexpected(t, "'chain', 'set', 'map', 'flags' or 'comment'");
  });
  if (Object.keys(options).length > 0) table.options = options;
  table.span = s.spanFrom(start);
  return [table, ...chains, ...sets, ...rules];
}

/** `define NAME = VALUE`: the value's tokens, up to the end of the line. */
function parseDefine(s: TokenStream): void {
  const name = s.expectWord('a variable name');
  s.expectPunct('=');
  const value: Token[] = [];
  let depth = 0;
  while (s.peek().kind !== 'eof' && (depth > 0 || !s.atStatementEnd())) {
    const t = s.next();
    if (t.kind === 'punct' && t.text === '{') depth++;
    if (t.kind === 'punct' && t.text === '}') depth--;
    value.push(t);
  }
  if (value.length === 0) throw s.unexpected(s.peek(), 'a value');
  s.defines.set(name.text, value);
}

/** One command (or a `table … { }` block); `define`s are recorded and yield nothing. */
function parseOne(s: TokenStream): CommandNode[] {
  const t = s.peek();
  const start = t.start;
  if (t.kind !== 'word') throw s.unexpected(t, 'a command');
  if (t.text === 'define') {
    s.next();
    parseDefine(s);
    return [];
  }
  if (t.text === 'include') throw s.error("'include' is not supported: pass the files' contents in one file", t);
  if (t.text === 'table') {
    s.next();
    return parseTableBlock(s, start);
  }
  if (t.text === 'monitor') {
    s.next();
    const event = s.acceptWord('new', 'destroy')?.text as 'new' | 'destroy' | undefined;
    const what = s.acceptWord('tables', 'chains', 'rules', 'sets', 'elements', 'ruleset')?.text;
    return [{ verb: 'monitor', object: 'monitor', ...(event ? { event } : {}), ...(what ? { what } : {}), span: s.spanFrom(start) }];
  }
  if (!VERBS.includes(t.text as Verb)) throw s.unexpected(t, `a command (${[...VERBS, 'monitor'].join(', ')})`);
  s.next();
  return parseObject(s, t.text as Verb, start);
}

function parseAll(s: TokenStream): CommandNode[] {
  const out: CommandNode[] = [];
  for (;;) {
    s.skipSeparators();
    if (s.peek().kind === 'eof') return out;
    out.push(...parseOne(s));
    if (!s.atStatementEnd()) throw s.unexpected(s.peek(), 'end of command');
  }
}

/** Parse one command line (the words after `nft`, joined with spaces). @throws ParseError */
export function parseCommandLine(text: string): { commands: CommandNode[]; source: Source } {
  const source: Source = { text };
  return { commands: parseAll(new TokenStream(source)), source };
}

/** Parse an `nft -f` file. @throws ParseError (with the file name in its position) */
export function parseNftFile(text: string, name: string): { commands: CommandNode[]; source: Source } {
  const source: Source = { text, name };
  return { commands: parseAll(new TokenStream(source)), source };
}

/** Parse a rule's statements alone (`ip saddr 10.0.0.0/8 masquerade`). @throws ParseError */
export function parseRuleText(text: string): { body: ReturnType<typeof parseRuleBody>; source: Source } {
  const source: Source = { text };
  const s = new TokenStream(source);
  const body = parseRuleBody(s);
  if (s.peek().kind !== 'eof') throw s.unexpected(s.peek(), 'end of rule');
  return { body, source };
}
