/**
 * Reading the plugin's tables in a ruleset snapshot (the inet table of NAT rules and the
 * bridge table of MAC checks, both named CNI_TABLE): which attachments have rules there, the
 * commands that remove exactly some attachments' rules (by handle, from this snapshot: apply
 * them pinned to its generation), and whether an attachment's rules are all present.
 */
import { deleteChain, flushChain } from '../nft/chain-commands.js';
import type { NftCommand } from '../nft/command.js';
import { describeExpression, type Expression } from '../nft/expressions/expression.js';
import type { Ruleset, RulesetRule } from '../nft/reader.js';
import { deleteRule } from '../nft/rule-commands.js';
import { commentOf } from '../nft/udata.js';
import { attachmentChain, chainAttachmentId, parseRuleComment } from './attachment.js';
import { MAC_TABLE_FAMILY } from './mac-check.js';
import { CNI_TABLE, CNI_TABLE_FAMILY, type ExpectedRule } from './rules.js';

type OurFamily = ExpectedRule['family'];

/** Whether an object is in one of the plugin's tables (of `family`, when given). */
const inTable = (x: { family: unknown; table?: string | undefined }, family?: OurFamily): boolean =>
  (family === undefined ? x.family === CNI_TABLE_FAMILY || x.family === MAC_TABLE_FAMILY : x.family === family) && x.table === CNI_TABLE;

/** Our rules in the snapshot, with the attachment each belongs to. */
function ourRules(ruleset: Ruleset): Array<{ rule: RulesetRule; id: string; network: string }> {
  const out: Array<{ rule: RulesetRule; id: string; network: string }> = [];
  for (const rule of ruleset.rules) {
    if (!inTable(rule)) continue;
    const parsed = parseRuleComment(commentOf(rule.userdata));
    if (parsed) out.push({ rule, ...parsed });
  }
  return out;
}

/** Whether the plugin's table of `family` (the inet one unless said) exists in the snapshot. */
export function hasTable(ruleset: Ruleset, family: OurFamily = CNI_TABLE_FAMILY): boolean {
  return ruleset.tables.some((t) => t.family === family && t.name === CNI_TABLE);
}

/**
 * Attachment ids with rules or a chain in the table, each with the network tag from its
 * comments (undefined when only an empty chain is left).
 */
export function attachmentsInRuleset(ruleset: Ruleset): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const chain of ruleset.chains) {
    const id = inTable(chain, CNI_TABLE_FAMILY) ? chainAttachmentId(chain.name) : undefined;
    if (id !== undefined) out.set(id, undefined);
  }
  for (const { id, network } of ourRules(ruleset)) out.set(id, network);
  return out;
}

/**
 * Commands removing every rule and chain of the attachments `ids`: jump, masquerade and MAC
 * check rules by handle, then each attachment chain flushed and deleted. Empty when there is
 * nothing.
 */
export function removeAttachmentCommands(ruleset: Ruleset, ids: ReadonlySet<string>): NftCommand[] {
  const family = CNI_TABLE_FAMILY;
  const table = CNI_TABLE;
  const out: NftCommand[] = [];
  // Attachment chains are in the inet table only.
  const chains = new Set(ruleset.chains.filter((c) => inTable(c, family) && ids.has(chainAttachmentId(c.name) ?? '')).map((c) => c.name!));
  for (const { rule, id } of ourRules(ruleset)) {
    // Rules inside an attachment chain go with the flush below.
    if (!ids.has(id) || (rule.family === family && chains.has(rule.chain!)) || rule.handle === undefined) continue;
    out.push(deleteRule({ family: rule.family as OurFamily, table, chain: rule.chain!, handle: rule.handle }));
  }
  // A jump into a chain being deleted, whatever its comment says, must go first.
  for (const rule of ruleset.rules) {
    if (!inTable(rule, family) || rule.handle === undefined || chains.has(rule.chain!)) continue;
    const target = jumpTarget(rule.expressions as Expression[] | undefined);
    if (target !== undefined && chains.has(target) && !out.some((c) => c.type === 'NFT_MSG_DELRULE' && (c.attributes as { handle?: bigint }).handle === rule.handle)) {
      out.push(deleteRule({ family, table, chain: rule.chain!, handle: rule.handle }));
    }
  }
  for (const name of chains) {
    out.push(flushChain({ family, table, name }));
    out.push(deleteChain({ family, table, name }));
  }
  return out;
}

function jumpTarget(expressions: Expression[] | undefined): string | undefined {
  for (const e of expressions ?? []) {
    if (e.type === 'immediate' && e.data?.verdict?.chain !== undefined) return e.data.verdict.chain;
  }
  return undefined;
}

/**
 * Kernel quirk (net/netfilter/nft_nat.c, nft_nat_init/nft_nat_dump): a nat expression sent
 * with only the minimum registers is stored as a range — addr_max = addr_min (flag
 * NF_NAT_RANGE_MAP_IPS added) and proto_max = proto_min — and listed that way. Our expected
 * rules are normalised the same way before comparing.
 */
function natAsKernelListsIt(e: Expression): Expression {
  if (e.type !== 'nat') return e;
  const out = { ...e };
  if (out.addrMin !== undefined) {
    out.addrMax ??= out.addrMin;
    const flags = out.flags ?? [];
    if (!flags.includes('map-ips')) out.flags = ['map-ips', ...flags];
  }
  if (out.protoMin !== undefined) out.protoMax ??= out.protoMin;
  return out;
}

/** A rule's expressions as `nft --debug=netlink` lines, counters left out (their values change). */
function shape(expressions: readonly Expression[] | undefined): string {
  return (expressions ?? [])
    .filter((e) => e.type !== 'counter')
    .map((e) => describeExpression(natAsKernelListsIt(e)))
    .join(' ');
}

/**
 * What is missing or different, compared with the rules the attachment should have (one line
 * per problem; empty when everything is in place).
 */
export function checkAttachmentRules(ruleset: Ruleset, id: string, expected: readonly ExpectedRule[]): string[] {
  if (expected.length === 0) return [];
  const families = new Set(expected.map((r) => r.family));
  const missingTables = [...families].filter((f) => !hasTable(ruleset, f));
  if (missingTables.length > 0) return missingTables.map((f) => `nf_tables table ${f} ${CNI_TABLE} is missing`);
  const problems: string[] = [];
  const chain = attachmentChain(id);
  if (expected.some((r) => r.chain === chain) && !ruleset.chains.some((c) => inTable(c, CNI_TABLE_FAMILY) && c.name === chain)) problems.push(`chain ${chain} is missing`);
  const present = ourRules(ruleset).filter((r) => r.id === id);
  const unmatched = [...present];
  // A chain named in a problem: the bridge table's prerouting is not the inet one's.
  const where = (family: unknown, name: string | undefined): string => (family === CNI_TABLE_FAMILY ? `chain ${name}` : `chain ${String(family)} ${name}`);
  for (const want of expected) {
    const wantShape = shape(want.expressions);
    const i = unmatched.findIndex((p) => p.rule.family === want.family && p.rule.chain === want.chain && shape(p.rule.expressions as Expression[]) === wantShape);
    if (i < 0) problems.push(`rule missing in ${where(want.family, want.chain)}: ${wantShape}`);
    else unmatched.splice(i, 1);
  }
  for (const extra of unmatched) problems.push(`unexpected rule (handle ${extra.rule.handle}) in ${where(extra.rule.family, extra.rule.chain)}: ${shape(extra.rule.expressions as Expression[])}`);
  return problems;
}
