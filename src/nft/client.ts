/**
 * NftClient: nf_tables operations named after what they do, over one NETLINK_NETFILTER
 * connection. Each call is one atomic batch (use `apply` to group several commands into one
 * transaction); adds that create rules return the handle the kernel assigned (NLM_F_ECHO).
 * Tables created with the `owner` flag belong to this client's socket and disappear when the
 * client is closed.
 *
 *   const nft = NftClient.connect();            // or new NftClient(connectInNetns('ns', { protocol: 12 }))
 *   await nft.addTable({ family: 'ip', name: 'nat' });
 *   await nft.addChain({ family: 'ip', table: 'nat', name: 'post', type: 'nat', hook: 'postrouting', priority: 'srcnat' });
 *   const { handle } = await nft.addRule({ family: 'ip', table: 'nat', chain: 'post', expressions: [...] });
 */
import type { Connection } from '../netlink/connection.js';
import { connect, type ConnectOptions } from '../netlink/connect.js';
import { NetlinkProtocol } from '../netlink/constants.js';
import { NetnsError } from '../netlink/errors.js';
import { applyBatch, echoedHandle, type ApplyOptions, type BatchResult } from './apply.js';
import type { NftBatch } from './batch.js';
import { addChain, deleteChain, flushChain, type ChainRef, type ChainSpec } from './chain-commands.js';
import type { NftCommand } from './command.js';
import { addObject, deleteObject, type ObjectRef, type ObjectSpec } from './object-commands.js';
import { applyOptimistic, deleteRuleChecked, type OptimisticOptions, type OptimisticResult } from './optimistic.js';
import { listElements, listRules, listRuleset, readGeneration, type ListOptions, type ListRulesOptions, type Ruleset, type RulesetRule } from './reader.js';
import { addRule, deleteRule, insertRule, replaceRule, type RuleRef, type RuleSpec } from './rule-commands.js';
import { addElements, addSet, deleteElements, deleteSet, flushSet, type ElementsSpec, type SetRef, type SetSpec } from './set-commands.js';
import type { SetElementAttributes } from './set-element.js';
import { addTable, deleteTable, flushTable, type AddOptions, type TableRef, type TableSpec } from './table-commands.js';
import { netfilterTypeName } from './protocol.js';

export class NftClient {
  readonly connection: Connection;
  private readonly defaults: ApplyOptions;

  /** Use an open NETLINK_NETFILTER connection (e.g. from `connectInNetns(ref, { protocol: 12 })`). */
  constructor(connection: Connection, defaults: ApplyOptions = {}) {
    this.connection = connection;
    this.defaults = defaults;
  }

  /** Open a NETLINK_NETFILTER socket (in the namespace `netnsFd`, if given). */
  static connect(options: Omit<ConnectOptions, 'protocol'> = {}, defaults: ApplyOptions = {}): NftClient {
    return new NftClient(connect({ describeType: netfilterTypeName, ...options, protocol: NetlinkProtocol.NETLINK_NETFILTER }), defaults);
  }

  /** Apply commands as one atomic batch. @throws NftBatchError naming the failed command */
  apply(b: NftBatch | readonly NftCommand[], options: ApplyOptions = {}): Promise<BatchResult> {
    const value: NftBatch = Array.isArray(b) ? { commands: b as readonly NftCommand[] } : (b as NftBatch);
    return applyBatch(this.connection, value, { ...this.defaults, ...options });
  }

  private async one(command: NftCommand, options: ApplyOptions = {}): Promise<BatchResult> {
    return this.apply([command], options);
  }

  private async created(command: NftCommand, options: ApplyOptions): Promise<{ handle: bigint }> {
    const result = await this.one(command, options);
    const handle = result.commands[0] ? echoedHandle(result.commands[0]) : undefined;
    if (handle === undefined) throw new NetnsError(`${result.commands[0]?.description ?? 'command'}: the kernel echoed no handle`);
    return { handle };
  }

  // Tables -----------------------------------------------------------------------------------

  /** `add table` (with `exclusive`: `create table`). Resolves with the table's handle. */
  addTable(spec: TableSpec, options: AddOptions & ApplyOptions = {}): Promise<{ handle: bigint }> {
    return this.created(addTable(spec, { ...options, echo: true }), options);
  }
  deleteTable(ref: TableRef, options: { ifExists?: boolean } & ApplyOptions = {}): Promise<BatchResult> {
    return this.one(deleteTable(ref, options), options);
  }
  flushTable(ref: { family: TableSpec['family']; name: string }, options: ApplyOptions = {}): Promise<BatchResult> {
    return this.one(flushTable(ref), options);
  }

  // Chains -----------------------------------------------------------------------------------

  /** `add chain` (base chain when type/hook/priority are given). Resolves with its handle. */
  addChain(spec: ChainSpec, options: AddOptions & ApplyOptions = {}): Promise<{ handle: bigint }> {
    return this.created(addChain(spec, { ...options, echo: true }), options);
  }
  deleteChain(ref: ChainRef, options: { ifExists?: boolean } & ApplyOptions = {}): Promise<BatchResult> {
    return this.one(deleteChain(ref, options), options);
  }
  flushChain(ref: { family: ChainSpec['family']; table: string; name: string }, options: ApplyOptions = {}): Promise<BatchResult> {
    return this.one(flushChain(ref), options);
  }

  // Rules ------------------------------------------------------------------------------------

  /** Append a rule (or place it after handle `after`). Resolves with the new rule's handle. */
  addRule(spec: RuleSpec & { after?: bigint }, options: ApplyOptions = {}): Promise<{ handle: bigint }> {
    return this.created(addRule(spec, { echo: true }), options);
  }
  /** Prepend a rule (or place it before handle `before`). Resolves with the new rule's handle. */
  insertRule(spec: RuleSpec & { before?: bigint }, options: ApplyOptions = {}): Promise<{ handle: bigint }> {
    return this.created(insertRule(spec, { echo: true }), options);
  }
  /** Replace the rule with handle `handle` in place. */
  replaceRule(spec: RuleSpec & { handle: bigint }, options: ApplyOptions = {}): Promise<{ handle: bigint }> {
    return this.created(replaceRule(spec, { echo: true }), options);
  }
  /**
   * Delete a rule by handle. The handle must be current: to delete a rule found in an earlier
   * listing, use {@link deleteListedRule}, which checks the table and rule are still the same.
   */
  deleteRule(ref: RuleRef, options: { ifExists?: boolean } & ApplyOptions = {}): Promise<BatchResult> {
    return this.one(deleteRule(ref, options), options);
  }
  /** Delete a rule taken from `snapshot`, only if it is still that rule (see optimistic.ts). */
  deleteListedRule(snapshot: Ruleset, rule: RulesetRule, options: OptimisticOptions = {}): Promise<BatchResult> {
    return deleteRuleChecked(this.connection, snapshot, rule, { ...this.defaults, ...options });
  }

  // Sets, maps, elements ---------------------------------------------------------------------

  addSet(spec: SetSpec, options: AddOptions & ApplyOptions = {}): Promise<{ handle: bigint }> {
    return this.created(addSet(spec, { ...options, echo: true }), options);
  }
  deleteSet(ref: SetRef, options: { ifExists?: boolean } & ApplyOptions = {}): Promise<BatchResult> {
    return this.one(deleteSet(ref, options), options);
  }
  addElements(spec: ElementsSpec, options: AddOptions & ApplyOptions = {}): Promise<BatchResult> {
    return this.one(addElements(spec, options), options);
  }
  deleteElements(spec: Parameters<typeof deleteElements>[0], options: ApplyOptions = {}): Promise<BatchResult> {
    return this.one(deleteElements(spec), options);
  }
  flushSet(ref: SetRef, options: ApplyOptions = {}): Promise<BatchResult> {
    return this.one(flushSet(ref), options);
  }
  listElements(set: SetRef): Promise<SetElementAttributes[]> {
    return listElements(this.connection, set);
  }

  // Stateful objects -------------------------------------------------------------------------

  addObject(spec: ObjectSpec, options: AddOptions & ApplyOptions = {}): Promise<{ handle: bigint }> {
    return this.created(addObject(spec, { ...options, echo: true }), options);
  }
  deleteObject(ref: ObjectRef, options: { ifExists?: boolean } & ApplyOptions = {}): Promise<BatchResult> {
    return this.one(deleteObject(ref, options), options);
  }

  // Reading and concurrency ------------------------------------------------------------------

  /** The whole ruleset as one consistent snapshot (generation checked before and after). */
  listRuleset(options: ListOptions = {}): Promise<Ruleset> {
    return listRuleset(this.connection, options);
  }
  /**
   * The rules alone, of a family, table or chain (`nft -a list chain`): one dump, no snapshot
   * of the other objects and no generation check (use listRuleset for those).
   */
  listRules(options: ListRulesOptions = {}): Promise<RulesetRule[]> {
    return listRules(this.connection, options);
  }
  /** The current ruleset generation. */
  generation(): Promise<number> {
    return readGeneration(this.connection);
  }
  /** Read, plan, apply at that generation; re-plan after concurrent commits (bounded). */
  applyOptimistic(plan: Parameters<typeof applyOptimistic>[1], options: OptimisticOptions = {}): Promise<OptimisticResult> {
    return applyOptimistic(this.connection, plan, { ...this.defaults, ...options });
  }

  /** Close the socket. Tables this client created with the `owner` flag go with it. */
  close(): void {
    this.connection.close();
  }
}
