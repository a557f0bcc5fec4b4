/**
 * `netns-ts iptables -t nat -A|-I|-D|-L|-S|-F [CHAIN] …`: the tutorial's NAT forms compiled to
 * native nf_tables rules in iptables-nft's layout — table `ip nat`, base chains PREROUTING
 * (prerouting, -100), INPUT (input, 100), OUTPUT (output, -100) and POSTROUTING (postrouting,
 * 100) created when first used, each rule its matches, a counter and its target — and listed
 * back as iptables prints them. Errors are ParseErrors (pointing at the option at fault,
 * nothing sent) and KernelRejectedErrors.
 */
import { NetlinkProtocol } from '../../netlink/constants.js';
import { applyBatch } from '../../nft/apply.js';
import { NftBatchError } from '../../nft/batch-errors.js';
import { addChain, flushChain } from '../../nft/chain-commands.js';
import type { NftCommand } from '../../nft/command.js';
import type { Expression } from '../../nft/expressions/expression.js';
import { listRuleset, type Ruleset, type RulesetChain, type RulesetRule } from '../../nft/reader.js';
import { addRule, deleteRule, insertRule } from '../../nft/rule-commands.js';
import { renderRule } from '../../nft/render/index.js';
import { addTable, flushTable } from '../../nft/table-commands.js';
import { commentOf } from '../../nft/udata.js';
import { compileRule } from '../../nft/parse/compile/rule.js';
import { ParseError, type Span } from '../../nft/parse/errors.js';
import { parseRuleText } from '../../nft/parse/parse-commands.js';
import type { CliContext } from '../context.js';
import { KernelRejectedError } from '../nft/errors.js';
import { serviceNumber } from '../nft/resolvers.js';
import { listHeader, listLine, specLine, type ListFormat } from './format.js';
import { specOf } from './from-nft.js';
import { checkRule, NAT_CHAINS, parseIptables, type ParsedIptables, type RuleSpec } from './spec.js';
import { ruleBody } from './to-nft.js';

export { parseIptables } from './spec.js';

const FAMILY = 'ip';
const TABLE = 'nat';

interface NatState {
  ruleset: Ruleset;
  tableExists: boolean;
  chain(name: string): RulesetChain | undefined;
  rules(chain: string): RulesetRule[];
}

async function readNat(ctx: CliContext): Promise<NatState> {
  const ruleset = await listRuleset(ctx.connect(NetlinkProtocol.NETLINK_NETFILTER), { family: FAMILY });
  const mine = <T extends { table?: string }>(list: T[]): T[] => list.filter((x) => x.table === TABLE);
  return {
    ruleset,
    tableExists: ruleset.tables.some((t) => t.name === TABLE),
    chain: (name) => mine(ruleset.chains).find((c) => c.name === name),
    rules: (chain) => mine(ruleset.rules).filter((r) => r.chain === chain),
  };
}

/** A rule's statements as nft syntax, parsed back: the common form of stored and requested rules. */
function specOfExpressions(expressions: readonly Expression[], comment: string | undefined): RuleSpec | undefined {
  const text = renderRule(expressions, { family: FAMILY, stateless: true });
  try {
    return specOf(parseRuleText(text).body.statements, comment);
  } catch (err) {
    if (err instanceof ParseError) return undefined;
    throw err;
  }
}

function counters(rule: RulesetRule): { packets: bigint; bytes: bigint } {
  const c = rule.expressions?.find((e) => e.type === 'counter') as { packets?: bigint; bytes?: bigint } | undefined;
  return { packets: c?.packets ?? 0n, bytes: c?.bytes ?? 0n };
}

function compile(p: ParsedIptables): { expressions: Expression[]; origins: Span[] } {
  checkRule(p);
  const compiled = compileRule(ruleBody(p.rule, p.source), p.source, { family: FAMILY, table: TABLE, resolvers: { serviceNumber }, nextSetId: () => 1 });
  return { expressions: compiled.expressions, origins: compiled.origins };
}

async function apply(ctx: CliContext, p: ParsedIptables, commands: NftCommand[], rule?: { index: number; origins: Span[] }): Promise<void> {
  const whole = { start: 0, end: p.source.text.length };
  const origins = commands.map((_c, i) => (rule && i === rule.index ? { span: whole, expressions: rule.origins } : { span: whole }));
  try {
    await applyBatch(ctx.connect(NetlinkProtocol.NETLINK_NETFILTER), { commands });
  } catch (err) {
    if (err instanceof NftBatchError) throw new KernelRejectedError(err, commands, origins, p.source);
    throw err;
  }
}

/** The table and the chain, when they do not exist yet (as iptables-nft creates them). */
function ensureChain(state: NatState, chainName: string): NftCommand[] {
  const out: NftCommand[] = [];
  if (!state.tableExists) out.push(addTable({ family: FAMILY, name: TABLE }));
  const spec = NAT_CHAINS.find((c) => c.name === chainName)!;
  if (!state.chain(chainName)) out.push(addChain({ family: FAMILY, table: TABLE, name: spec.name, type: 'nat', hook: spec.hook, priority: spec.priority, policy: 'accept' }));
  return out;
}

function fail(p: ParsedIptables, reason: string, span: Span = p.commandSpan): never {
  throw new ParseError(reason, p.source, span);
}

async function addOrInsert(ctx: CliContext, p: ParsedIptables): Promise<void> {
  const { expressions, origins } = compile(p);
  const state = await readNat(ctx);
  const commands = ensureChain(state, p.chain!);
  const base = { family: FAMILY, table: TABLE, chain: p.chain!, expressions, ...(p.rule.comment !== undefined ? { comment: p.rule.comment } : {}) } as const;
  const existing = state.rules(p.chain!);
  if (p.command === 'append') commands.push(addRule(base));
  else if (p.ruleNumber === undefined || p.ruleNumber === 1) commands.push(insertRule(base));
  else if (p.ruleNumber <= existing.length) commands.push(insertRule({ ...base, before: existing[p.ruleNumber - 1]!.handle! }));
  else if (p.ruleNumber === existing.length + 1) commands.push(addRule(base));
  else fail(p, `index of insertion too big: ${p.chain} has ${existing.length} rules`);
  await apply(ctx, p, commands, { index: commands.length - 1, origins });
}

async function remove(ctx: CliContext, p: ParsedIptables): Promise<void> {
  const state = await readNat(ctx);
  const rules = state.rules(p.chain!);
  let target: RulesetRule | undefined;
  if (p.ruleNumber !== undefined) {
    target = rules[p.ruleNumber - 1];
    if (!target) fail(p, `index of deletion too big: ${p.chain} has ${rules.length} rules`);
  } else {
    const wanted = specOfExpressions(compile(p).expressions, p.rule.comment);
    const line = wanted ? specLine(p.chain!, wanted) : undefined;
    target = rules.find((r) => {
      const spec = specOfExpressions(r.expressions ?? [], commentOf(r.userdata));
      return spec !== undefined && specLine(p.chain!, spec) === line;
    });
    if (!target) fail(p, `bad rule (does a matching rule exist in ${p.chain}?)`);
  }
  await apply(ctx, p, [deleteRule({ family: FAMILY, table: TABLE, chain: p.chain!, handle: target!.handle! })]);
}

async function flush(ctx: CliContext, p: ParsedIptables): Promise<void> {
  const state = await readNat(ctx);
  if (p.chain !== undefined) {
    if (!NAT_CHAINS.some((c) => c.name === p.chain)) fail(p, `chain '${p.chain}' does not exist in the nat table`, p.chainSpan);
    if (state.chain(p.chain)) await apply(ctx, p, [flushChain({ family: FAMILY, table: TABLE, name: p.chain })]);
    return;
  }
  if (state.tableExists) await apply(ctx, p, [flushTable({ family: FAMILY, name: TABLE })]);
}

function chainsToShow(p: ParsedIptables): Array<(typeof NAT_CHAINS)[number]> {
  if (p.chain === undefined) return [...NAT_CHAINS];
  const chain = NAT_CHAINS.find((c) => c.name === p.chain);
  if (!chain) fail(p, `chain '${p.chain}' does not exist in the nat table`, p.chainSpan);
  return [chain!];
}

async function listRules(ctx: CliContext, p: ParsedIptables): Promise<void> {
  const state = await readNat(ctx);
  const chains = chainsToShow(p);
  for (const c of chains) ctx.out(`-P ${c.name} ${(state.chain(c.name)?.policy ?? 'accept').toString().toUpperCase()}`);
  for (const c of chains) {
    for (const rule of state.rules(c.name)) {
      const spec = specOfExpressions(rule.expressions ?? [], commentOf(rule.userdata));
      ctx.out(spec ? specLine(c.name, spec) : `# -A ${c.name}: ${renderRule(rule.expressions ?? [], { family: FAMILY, stateless: true })} (no iptables form)`);
    }
  }
}

async function list(ctx: CliContext, p: ParsedIptables): Promise<void> {
  const state = await readNat(ctx);
  const format: ListFormat = { numeric: p.numeric, verbose: p.verbose, lineNumbers: p.lineNumbers };
  chainsToShow(p).forEach((c, i) => {
    if (i > 0) ctx.out('');
    const policy = (state.chain(c.name)?.policy ?? 'accept').toString().toUpperCase();
    ctx.out(`Chain ${c.name} (policy ${policy}${p.verbose ? ' 0 packets, 0 bytes' : ''})`);
    ctx.out(listHeader(format));
    state.rules(c.name).forEach((rule, n) => {
      const spec = specOfExpressions(rule.expressions ?? [], commentOf(rule.userdata));
      ctx.out(spec ? listLine(spec, format, n + 1, counters(rule)) : `# ${renderRule(rule.expressions ?? [], { family: FAMILY, stateless: true })} (no iptables form)`);
    });
  });
}

/**
 * Run one `iptables` invocation. Returns the exit status.
 * @throws ParseError (bad command line; nothing sent), KernelRejectedError, NetlinkError
 */
export async function runIptables(args: string[], ctx: CliContext): Promise<number> {
  const p = parseIptables(args);
  switch (p.command) {
    case 'append':
    case 'insert':
      await addOrInsert(ctx, p);
      break;
    case 'delete':
      await remove(ctx, p);
      break;
    case 'flush':
      await flush(ctx, p);
      break;
    case 'list-rules':
      await listRules(ctx, p);
      break;
    case 'list':
      await list(ctx, p);
      break;
  }
  return 0;
}
