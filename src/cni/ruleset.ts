/**
 * Reading the plugin's table in a ruleset snapshot: which attachments have rules there, the
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
import { CNI_TABLE, CNI_TABLE_FAMILY, type ExpectedRule } from './rules.js';

const inTable = (x: { family: unknown; table?: string | undefined }): boolean => x.family === CNI_TABLE_FAMILY && x.table === CNI_TABLE;

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

/** Whether the plugin's table exists in the snapshot. */
export function hasTable(ruleset: Ruleset): boolean {
  return ruleset.tables.some((t) => t.family === CNI_TABLE_FAMILY && t.name === CNI_TABLE);
}

/**
 * Attachment ids with rules or a chain in the table, each with the network tag from its
 * comments (undefined when only an empty chain is left).
 */
export function attachmentsInRuleset(ruleset: Ruleset): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const chain of ruleset.chains) {
    const id = inTable(chain) ? chainAttachmentId(chain.name) : undefined;
    if (id !== undefined) out.set(id, undefined);
  }
  for (const { id, network } of ourRules(ruleset)) out.set(id, network);
  return out;
}

/**
 * Commands removing every rule and chain of the attachments `ids`: jump and masquerade rules
 * by handle, then each attachment chain flushed and deleted. Empty when there is nothing.
 */
export function removeAttachmentCommands(ruleset: Ruleset, ids: ReadonlySet<string>): NftCommand[] {
  const family = CNI_TABLE_FAMILY;
  const table = CNI_TABLE;
  const out: NftCommand[] = [];
  const chains = new Set(ruleset.chains.filter((c) => inTable(c) && ids.has(chainAttachmentId(c.name) ?? '')).map((c) => c.name!));
  for (const { rule, id } of ourRules(ruleset)) {
    // Rules inside an attachment chain go with the flush below.
    if (!ids.has(id) || chains.has(rule.chain!) || rule.handle === undefined) continue;
    out.push(deleteRule({ family, table, chain: rule.chain!, handle: rule.handle }));
  }
  // A jump into a chain being deleted, whatever its comment says, must go first.
  for (const rule of ruleset.rules) {
    if (!inTable(rule) || rule.handle === undefined || chains.has(rule.chain!)) continue;
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
  if (!hasTable(ruleset)) return [`nf_tables table ${CNI_TABLE_FAMILY} ${CNI_TABLE} is missing`];
  const problems: string[] = [];
  const chain = attachmentChain(id);
  if (expected.some((r) => r.chain === chain) && !ruleset.chains.some((c) => inTable(c) && c.name === chain)) problems.push(`chain ${chain} is missing`);
  const present = ourRules(ruleset).filter((r) => r.id === id);
  const unmatched = [...present];
  for (const want of expected) {
    const wantShape = shape(want.expressions);
    const i = unmatched.findIndex((p) => p.rule.chain === want.chain && shape(p.rule.expressions as Expression[]) === wantShape);
    if (i < 0) problems.push(`rule missing in chain ${want.chain}: ${wantShape}`);
    else unmatched.splice(i, 1);
  }
  for (const extra of unmatched) problems.push(`unexpected rule (handle ${extra.rule.handle}) in chain ${extra.rule.chain}: ${shape(extra.rule.expressions as Expression[])}`);
  return problems;
}
