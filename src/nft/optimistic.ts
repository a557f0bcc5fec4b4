/**
 * Optimistic concurrency for nf_tables writers: read the ruleset, compute a batch from what is
 * there, and apply it pinned to the generation that was read (NFNL_BATCH_GENID). If another
 * writer committed in between, the kernel refuses the batch with ERESTART and nothing was
 * applied: read again and recompute, a bounded number of times. Deleting a rule by a handle
 * from an earlier listing goes through the same check, and a handle is trusted again only if
 * its table is still the same table (same table handle: a deleted and re-created table
 * numbers its rules from 1 again) and the rule there still has the same content.
 */
import type { Connection } from '../netlink/connection.js';
import { NetnsError } from '../netlink/errors.js';
import { applyBatch, type ApplyOptions, type BatchResult } from './apply.js';
import { NftGenerationChangedError } from './batch-errors.js';
import type { NftBatch } from './batch.js';
import type { NftCommand } from './command.js';
import type { TableFamily } from './constants.js';
import { listRuleset, type ListOptions, type Ruleset, type RulesetRule } from './reader.js';
import { deleteRule } from './rule-commands.js';
import { ruleSignature } from './verify.js';

export interface OptimisticOptions extends ApplyOptions, Omit<ListOptions, keyof ApplyOptions> {
  /** How many read → apply rounds before giving up (default 5). */
  attempts?: number;
}

/** Every attempt lost the race against other writers. */
export class OptimisticConflictError extends NetnsError {
  override name = 'OptimisticConflictError';
  readonly attempts: number;
  constructor(attempts: number) {
    super(`the nf_tables ruleset changed under each of ${attempts} attempts (ERESTART every time); nothing was applied`);
    this.attempts = attempts;
  }
}

/** A rule handle from an old listing no longer designates the same rule. */
export class StaleRuleError extends NetnsError {
  override name = 'StaleRuleError';
}

export interface OptimisticResult {
  /** Undefined when the plan had nothing to do. */
  result?: BatchResult;
  /** The snapshot the applied batch was computed from. */
  ruleset: Ruleset;
  attempts: number;
}

const DEFAULT_ATTEMPTS = 5;

/**
 * Read the ruleset, let `plan` turn it into commands (none: nothing to do), apply them at that
 * generation; on ERESTART read again and re-plan.
 * @throws OptimisticConflictError after `attempts` lost races; any error `plan` or the batch raises.
 */
export async function applyOptimistic(
  conn: Connection,
  plan: (ruleset: Ruleset, attempt: number) => readonly NftCommand[] | undefined | Promise<readonly NftCommand[] | undefined>,
  options: OptimisticOptions = {},
): Promise<OptimisticResult> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const { attempts: _, ...listOptions } = options;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const ruleset = await listRuleset(conn, listOptions);
    const commands = await plan(ruleset, attempt);
    if (!commands || commands.length === 0) return { ruleset, attempts: attempt };
    const b: NftBatch = { commands, genid: ruleset.generation };
    try {
      return { result: await applyBatch(conn, b, options), ruleset, attempts: attempt };
    } catch (err) {
      if (!(err instanceof NftGenerationChangedError)) throw err;
    }
  }
  throw new OptimisticConflictError(attempts);
}

/**
 * Delete `rule`, taken from the listing `snapshot`, only if it is still that rule: same table
 * (by table handle), same handle, same expressions and comment. The delete is pinned to the
 * generation of the snapshot it was checked against, and re-checked after any concurrent commit.
 * @throws StaleRuleError when the table was replaced or the rule is gone or changed.
 */
export async function deleteRuleChecked(conn: Connection, snapshot: Ruleset, rule: RulesetRule, options: OptimisticOptions = {}): Promise<BatchResult> {
  const family = rule.family as TableFamily;
  const { table, chain, handle } = rule;
  if (table === undefined || chain === undefined || handle === undefined) throw new StaleRuleError('the rule has no table, chain or handle');
  const tableHandle = snapshot.tables.find((t) => t.family === family && t.name === table)?.handle;
  const signature = ruleSignature(rule);
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  let current = snapshot;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const t = current.tables.find((x) => x.family === family && x.name === table);
    if (!t || (tableHandle !== undefined && t.handle !== tableHandle)) throw new StaleRuleError(`table ${family} ${table} was deleted or replaced since the rule was listed`);
    const found = current.rules.find((r) => r.family === family && r.table === table && r.chain === chain && r.handle === handle);
    if (!found || ruleSignature(found) !== signature) throw new StaleRuleError(`rule handle ${handle} in ${family} ${table} ${chain} is gone or holds a different rule`);
    try {
      // Pinned to the generation the check was made at: any commit since voids the check.
      return await applyBatch(conn, { commands: [deleteRule({ family, table, chain, handle })], genid: current.generation }, options);
    } catch (err) {
      if (!(err instanceof NftGenerationChangedError)) throw err;
    }
    current = await listRuleset(conn, { ...options, family, table, elements: false });
  }
  throw new OptimisticConflictError(attempts);
}
