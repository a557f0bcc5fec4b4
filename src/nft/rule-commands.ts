/**
 * Commands on rules: add (append, or after a handle), insert (prepend, or before a handle),
 * replace and delete by handle. A comment is stored the way nft stores it (userdata TLV 0), so
 * `nft list ruleset` shows it. Pure: nothing is sent.
 */
import { NlmFlags } from '../netlink/constants.js';
import { ValidationError } from '../netlink/errors.js';
import type { TableFamily } from './constants.js';
import type { NftCommand } from './command.js';
import type { Expression } from './expression-codecs.js';
import type { RuleAttributes } from './rule.js';
import type { UdataEntry } from './udata.js';
import { checkComment, checkFamily, checkHandle, checkName } from './validate.js';

export interface RuleSpec {
  family: TableFamily;
  table: string;
  chain: string;
  expressions: Expression[];
  comment?: string;
  /** Userdata TLVs besides the comment (kept as given). */
  userdata?: UdataEntry<'comment' | 'ebtables-policy'>[];
}

export interface RuleRef {
  family: TableFamily;
  table: string;
  chain: string;
  handle: bigint;
}

export interface RuleOptions {
  /** Ask the kernel to echo the rule back: the only way to learn a new rule's handle. */
  echo?: boolean;
}

/** A rule's attributes from its spec, checked (prepared rules build theirs here too). */
export function ruleCommandAttributes(spec: RuleSpec, handle?: bigint, position?: bigint): RuleAttributes {
  checkFamily(spec.family);
  if (!Array.isArray(spec.expressions)) throw new ValidationError('expressions', 'must be an array of expressions', spec.expressions);
  // Attribute order as nft writes it: table, chain, handle, expressions, position, userdata.
  const a: RuleAttributes = { table: checkName(spec.table, 'table'), chain: checkName(spec.chain, 'chain') };
  if (handle !== undefined) a.handle = checkHandle(handle, 'handle');
  a.expressions = spec.expressions;
  if (position !== undefined) a.position = checkHandle(position, 'position');
  if (spec.comment === undefined && spec.userdata === undefined) return a;
  const userdata: UdataEntry<'comment' | 'ebtables-policy'>[] = [];
  if (spec.comment !== undefined) userdata.push({ type: 'comment', value: checkComment(spec.comment, 'comment') });
  if (spec.userdata !== undefined) userdata.push(...spec.userdata);
  if (userdata.length > 0) a.userdata = userdata;
  return a;
}

function echo(options: RuleOptions): number {
  return options.echo ? NlmFlags.NLM_F_ECHO : 0;
}

/** `add rule …`: append to the chain, or place right after the rule with handle `after`. */
export function addRule(spec: RuleSpec & { after?: bigint }, options: RuleOptions = {}): NftCommand {
  return {
    type: 'NFT_MSG_NEWRULE',
    family: spec.family,
    flags: NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_APPEND | echo(options),
    attributes: ruleCommandAttributes(spec, undefined, spec.after),
  };
}

/** `insert rule …`: prepend to the chain, or place right before the rule with handle `before`. */
export function insertRule(spec: RuleSpec & { before?: bigint }, options: RuleOptions = {}): NftCommand {
  return { type: 'NFT_MSG_NEWRULE', family: spec.family, flags: NlmFlags.NLM_F_CREATE | echo(options), attributes: ruleCommandAttributes(spec, undefined, spec.before) };
}

/** `replace rule … handle H …`: swap the rule's expressions (and comment) in place. */
export function replaceRule(spec: RuleSpec & { handle: bigint }, options: RuleOptions = {}): NftCommand {
  return { type: 'NFT_MSG_NEWRULE', family: spec.family, flags: NlmFlags.NLM_F_REPLACE | echo(options), attributes: ruleCommandAttributes(spec, spec.handle) };
}

/** `delete rule … handle H` (or, with `ifExists`, `destroy rule`). */
export function deleteRule(ref: RuleRef, options: { ifExists?: boolean } = {}): NftCommand {
  checkFamily(ref.family);
  return {
    type: options.ifExists ? 'NFT_MSG_DESTROYRULE' : 'NFT_MSG_DELRULE',
    family: ref.family,
    attributes: { table: checkName(ref.table, 'table'), chain: checkName(ref.chain, 'chain'), handle: checkHandle(ref.handle, 'handle') },
  };
}
