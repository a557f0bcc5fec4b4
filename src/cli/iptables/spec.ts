/**
 * The iptables command line netns-ts understands: `-t nat -A|-I|-D|-L|-S|-F [CHAIN] …` with
 * the tutorial's NAT matches and targets, parsed into a rule spec. Problems are ParseErrors
 * pointing at the argument at fault (the arguments are joined with spaces to show the line):
 *
 *   Error: --dport needs -p tcp or -p udp before it (iptables says: unknown option "--dport")
 *   iptables -t nat -A PREROUTING --dport 80 --to-destination 192.168.15.2:80 -j DNAT
 *                                 ^^^^^^^
 */
import { ParseError, type Source, type Span } from '../../nft/parse/errors.js';

/** One argument and where it is in the joined command line. */
export interface Arg {
  text: string;
  span: Span;
}

export type IptablesCommand = 'append' | 'insert' | 'delete' | 'list' | 'list-rules' | 'flush';
export type Target = 'MASQUERADE' | 'SNAT' | 'DNAT' | 'REDIRECT' | 'ACCEPT' | 'DROP' | 'RETURN';
export const TARGETS: readonly Target[] = ['MASQUERADE', 'SNAT', 'DNAT', 'REDIRECT', 'ACCEPT', 'DROP', 'RETURN'];

/** A value with its negation (`! -s 10.0.0.0/8`) and where it was written. */
export interface Negatable {
  value: string;
  negated: boolean;
  span: Span;
}

/** A rule as iptables options. */
export interface RuleSpec {
  protocol?: Negatable;
  source?: Negatable;
  destination?: Negatable;
  inInterface?: Negatable;
  outInterface?: Negatable;
  sport?: Negatable;
  dport?: Negatable;
  comment?: string;
  target?: { name: Target; span: Span };
  /** --to-source / --to-destination / --to-ports */
  to?: { option: string; value: string; span: Span };
  random?: boolean;
  randomFully?: boolean;
  persistent?: boolean;
}

export interface ParsedIptables {
  command: IptablesCommand;
  commandSpan: Span;
  table: string;
  chain?: string;
  chainSpan?: Span;
  /** -I CHAIN N, -D CHAIN N */
  ruleNumber?: number;
  rule: RuleSpec;
  numeric: boolean;
  verbose: boolean;
  lineNumbers: boolean;
  source: Source;
}

const COMMANDS: Readonly<Record<string, IptablesCommand>> = {
  '-A': 'append', '--append': 'append', '-I': 'insert', '--insert': 'insert', '-D': 'delete', '--delete': 'delete',
  '-L': 'list', '--list': 'list', '-S': 'list-rules', '--list-rules': 'list-rules', '-F': 'flush', '--flush': 'flush',
};
/** Options that take the next argument as their value. */
const VALUE_OPTIONS: Readonly<Record<string, keyof RuleSpec>> = {
  '-p': 'protocol', '--protocol': 'protocol', '-s': 'source', '--source': 'source', '--src': 'source',
  '-d': 'destination', '--destination': 'destination', '--dst': 'destination',
  '-i': 'inInterface', '--in-interface': 'inInterface', '-o': 'outInterface', '--out-interface': 'outInterface',
  '--sport': 'sport', '--source-port': 'sport', '--dport': 'dport', '--destination-port': 'dport',
};
/** Target options and the targets they belong to. */
const TO_OPTIONS: Readonly<Record<string, readonly Target[]>> = {
  '--to-source': ['SNAT'], '--to-destination': ['DNAT'], '--to-ports': ['MASQUERADE', 'REDIRECT'],
};
const PORT_PROTOCOLS = ['tcp', 'udp'];

/** Join the arguments into the displayed command line, remembering where each one is. */
export function argsOf(words: readonly string[], prefix = 'iptables'): { args: Arg[]; source: Source } {
  let text = prefix;
  const args: Arg[] = [];
  for (const w of words) {
    text += ' ';
    args.push({ text: w, span: { start: text.length, end: text.length + w.length } });
    text += w;
  }
  return { args, source: { text } };
}

/** Parse an iptables command line (the words after `iptables`). @throws ParseError */
export function parseIptables(words: readonly string[]): ParsedIptables {
  const { args, source } = argsOf(words);
  const fail = (reason: string, span: Span): never => {
    throw new ParseError(reason, source, span);
  };
  let table: string | undefined;
  let tableSpan: Span | undefined;
  let command: { name: IptablesCommand; span: Span } | undefined;
  let chain: Arg | undefined;
  let ruleNumber: number | undefined;
  const rule: RuleSpec = {};
  const flags = { numeric: false, verbose: false, lineNumbers: false };
  let negate: Span | undefined;

  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = (what: string): Arg => args[++i] ?? fail(`${a.text} needs ${what}`, a.span);
    if (a.text === '!') {
      negate = a.span;
      continue;
    }
    const negated = negate !== undefined;
    const optionSpan = negate ? { start: negate.start, end: a.span.end } : a.span;
    negate = undefined;
    if (COMMANDS[a.text]) {
      if (command) fail(`only one command at a time (already ${command.name})`, a.span);
      command = { name: COMMANDS[a.text]!, span: a.span };
      const c = args[i + 1];
      if (c && !c.text.startsWith('-')) {
        chain = c;
        i++;
        const n = args[i + 1];
        if (n && /^\d+$/.test(n.text) && (command.name === 'insert' || command.name === 'delete')) {
          ruleNumber = Number(n.text);
          if (ruleNumber < 1) fail('rule numbers start at 1', n.span);
          i++;
        }
      } else if (command.name !== 'list' && command.name !== 'list-rules' && command.name !== 'flush') {
        fail(`${a.text} needs a chain name`, a.span);
      }
    } else if (a.text === '-t' || a.text === '--table') {
      const t = next('a table name');
      table = t.text;
      tableSpan = t.span;
    } else if (a.text === '-n' || a.text === '--numeric') flags.numeric = true;
    else if (a.text === '-v' || a.text === '--verbose') flags.verbose = true;
    else if (a.text === '--line-numbers') flags.lineNumbers = true;
    else if (a.text === '-m' || a.text === '--match') {
      const m = next('a match name');
      if (m.text === 'comment') {
        const flag = next('--comment');
        if (flag.text !== '--comment') fail('-m comment takes --comment TEXT', flag.span);
        rule.comment = next('the comment text').text;
      } else if (PORT_PROTOCOLS.includes(m.text)) {
        if (rule.protocol && rule.protocol.value !== m.text) fail(`-m ${m.text} does not match -p ${rule.protocol.value}`, m.span);
      } else fail(`match '${m.text}' is not supported (tcp, udp, comment are)`, m.span);
    } else if (VALUE_OPTIONS[a.text]) {
      const key = VALUE_OPTIONS[a.text]!;
      const v = next('a value');
      if (key === 'sport' || key === 'dport') {
        const p = rule.protocol;
        if (!p || !PORT_PROTOCOLS.includes(p.value) || p.negated) {
          fail(`${a.text} needs -p tcp or -p udp before it (iptables says: unknown option "${a.text}")`, optionSpan);
        }
      }
      if (rule[key] !== undefined) fail(`${a.text} given twice`, optionSpan);
      (rule as Record<string, Negatable>)[key] = { value: v.text, negated, span: { start: optionSpan.start, end: v.span.end } };
    } else if (a.text === '-j' || a.text === '--jump') {
      const t = next('a target');
      if (!TARGETS.includes(t.text as Target)) fail(`target '${t.text}' is not supported (${TARGETS.join(', ')})`, t.span);
      rule.target = { name: t.text as Target, span: { start: a.span.start, end: t.span.end } };
    } else if (TO_OPTIONS[a.text]) {
      const v = next('an address or port');
      rule.to = { option: a.text, value: v.text, span: { start: a.span.start, end: v.span.end } };
    } else if (a.text === '--random') rule.random = true;
    else if (a.text === '--random-fully') rule.randomFully = true;
    else if (a.text === '--persistent') rule.persistent = true;
    else fail(`unknown option '${a.text}'`, a.span);
    if (negated && !VALUE_OPTIONS[a.text]) fail(`'!' cannot negate ${a.text}`, optionSpan);
  }
  if (negate) fail("'!' needs an option after it", negate);
  if (!command) fail('no command given (-A, -I, -D, -L, -S or -F)', { start: 0, end: 'iptables'.length });
  if (table === undefined) fail('netns-ts iptables supports the nat table only: add -t nat', command!.span);
  if (table !== 'nat') fail(`table '${table}' is not supported: netns-ts iptables manages the nat table (-t nat)`, tableSpan!);
  return {
    command: command!.name, commandSpan: command!.span, table: table!, ...(chain ? { chain: chain.text, chainSpan: chain.span } : {}),
    ...(ruleNumber !== undefined ? { ruleNumber } : {}), rule, ...flags, source,
  };
}

/** Check a rule spec is complete for its target. @throws ParseError */
export function checkRule(p: ParsedIptables): void {
  const r = p.rule;
  const fail = (reason: string, span: Span): never => {
    throw new ParseError(reason, p.source, span);
  };
  if (!r.target) fail('the rule has no target: add -j MASQUERADE, SNAT, DNAT, REDIRECT, ACCEPT, DROP or RETURN', p.commandSpan);
  const target = r.target!;
  if (r.to) {
    const owners = TO_OPTIONS[r.to.option]!;
    if (!owners.includes(target.name)) fail(`${r.to.option} belongs to -j ${owners.join(' or -j ')}, not -j ${target.name}`, r.to.span);
  }
  if (target.name === 'SNAT' && !r.to) fail('-j SNAT needs --to-source ADDRESS[:PORT]', target.span);
  if (target.name === 'DNAT' && !r.to) fail('-j DNAT needs --to-destination ADDRESS[:PORT]', target.span);
  const hasPort = r.to && (r.to.option === '--to-ports' || /:\d/.test(r.to.value.replace(/^\[[^\]]*\]/, '')));
  if (hasPort && (!r.protocol || !PORT_PROTOCOLS.includes(r.protocol.value) || r.protocol.negated)) {
    fail(`a port in ${r.to!.option} needs -p tcp or -p udp (iptables says: Need TCP, UDP, SCTP or DCCP with port specification)`, r.to!.span);
  }
  if ((r.random || r.randomFully || r.persistent) && !['MASQUERADE', 'SNAT', 'DNAT', 'REDIRECT'].includes(target.name)) {
    fail(`--random, --random-fully and --persistent belong to NAT targets, not -j ${target.name}`, target.span);
  }
  const chains: string[] = NAT_CHAINS.map((c) => c.name);
  if (p.chain && !chains.includes(p.chain)) fail(`chain '${p.chain}' does not exist in the nat table (${chains.join(', ')})`, p.chainSpan!);
  const chain = NAT_CHAINS.find((c) => c.name === p.chain);
  // Packets have no output interface yet in PREROUTING and INPUT, and no input one in OUTPUT and POSTROUTING.
  if (chain && r.outInterface && (chain.hook === 'prerouting' || chain.hook === 'input')) fail(`can't use -o with ${chain.name}`, r.outInterface.span);
  if (chain && r.inInterface && (chain.hook === 'postrouting' || chain.hook === 'output')) fail(`can't use -i with ${chain.name}`, r.inInterface.span);
  if (chain && target.name === 'SNAT' && chain.hook !== 'postrouting' && chain.hook !== 'input') fail('-j SNAT is only valid in POSTROUTING and INPUT', target.span);
  if (chain && target.name === 'MASQUERADE' && chain.hook !== 'postrouting') fail('-j MASQUERADE is only valid in POSTROUTING', target.span);
  if (chain && (target.name === 'DNAT' || target.name === 'REDIRECT') && chain.hook !== 'prerouting' && chain.hook !== 'output') {
    fail(`-j ${target.name} is only valid in PREROUTING and OUTPUT`, target.span);
  }
}

/** The nat table's chains as iptables-nft creates them: hook and iptables' priority (NF_IP_PRI_NAT_*). */
export const NAT_CHAINS = [
  { name: 'PREROUTING', hook: 'prerouting', priority: -100 },
  { name: 'INPUT', hook: 'input', priority: 100 },
  { name: 'OUTPUT', hook: 'output', priority: -100 },
  { name: 'POSTROUTING', hook: 'postrouting', priority: 100 },
] as const;
