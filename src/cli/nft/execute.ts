/**
 * Running parsed nft commands: compile them into one batch (after looking up what the
 * compiler needs — interface indexes, the types of existing sets), print the
 * `--debug=netlink` lines, apply the batch all or nothing, then run the `list` reads.
 */
import { NetlinkProtocol } from '../../netlink/constants.js';
import { NetlinkError } from '../../netlink/errors.js';
import { applyBatch } from '../../nft/apply.js';
import { NftBatchError } from '../../nft/batch-errors.js';
import type { TableFamily } from '../../nft/constants.js';
import { listRuleset } from '../../nft/reader.js';
import type { CommandNode } from '../../nft/parse/ast.js';
import { compileCommands, type CompiledCommands, type ReadRequest } from '../../nft/parse/compile/commands.js';
import type { SetDescription } from '../../nft/parse/compile/set-declarations.js';
import type { Source } from '../../nft/parse/errors.js';
import { netlinkDebugText } from '../../nft/parse/netlink-debug.js';
import type { CliContext } from '../context.js';
import { KernelRejectedError, NotFoundError } from './errors.js';
import { listJson } from './list/json.js';
import { selectTables, setShape } from './list/model.js';
import { listText, type ListOptions } from './list/text.js';
import { interfaceTables, resolversFor } from './resolvers.js';

export interface ExecuteOptions {
  /** `-a` */
  handles: boolean;
  /** `-s` */
  stateless: boolean;
  /** `--debug=netlink` */
  debugNetlink: boolean;
  /** `-c`: compile and print, send nothing. */
  check: boolean;
  /** `-j` */
  json: boolean;
}

/** Whether any command matches on interface indexes (iif, oif, fib … oif), which need the link list. */
function usesInterfaceIndexes(commands: readonly CommandNode[]): boolean {
  const text = JSON.stringify(commands, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  return /"key":"(iif|oif|sdif)"|"result":"oif"/.test(text);
}

/** Descriptions of the existing sets that `add|delete element` commands name. */
async function kernelSets(ctx: CliContext, commands: readonly CommandNode[]): Promise<Map<string, SetDescription>> {
  const wanted = new Map<string, { family: TableFamily; table: string }>();
  for (const c of commands) if (c.object === 'element') wanted.set(`${c.family} ${c.table}`, { family: c.family, table: c.table });
  const out = new Map<string, SetDescription>();
  if (wanted.size === 0) return out;
  const conn = ctx.connect(NetlinkProtocol.NETLINK_NETFILTER);
  for (const { family, table } of wanted.values()) {
    const r = await listRuleset(conn, { family, table, elements: false });
    for (const s of r.sets) {
      const d = setShape(s);
      if (d && s.name !== undefined) out.set(`${family} ${table} ${s.name}`, d);
    }
  }
  return out;
}

/** Compile commands with what the kernel and the system tell about names they use. */
export async function compileForContext(ctx: CliContext, commands: readonly CommandNode[], source: Source): Promise<CompiledCommands> {
  const resolvers = await resolversFor(ctx, usesInterfaceIndexes(commands));
  const sets = await kernelSets(ctx, commands);
  return compileCommands(commands, source, { resolvers, kernelSet: (f, t, n) => sets.get(`${f} ${t} ${n}`) });
}

/** Print the lines of a listing (text or JSON) for each read. */
export async function runReads(ctx: CliContext, reads: readonly ReadRequest[], source: Source, options: ExecuteOptions): Promise<void> {
  if (reads.length === 0) return;
  const conn = ctx.connect(NetlinkProtocol.NETLINK_NETFILTER);
  const interfaces = await interfaceTables(ctx).catch(() => undefined);
  const list: ListOptions = { handles: options.handles, stateless: options.stateless, ...(interfaces ? { ifname: (i: number) => interfaces.byIndex.get(i) } : {}) };
  for (const read of reads) {
    const filter = read.what === 'table' ? { family: read.family!, table: read.name! } : read.table !== undefined ? { family: read.family!, table: read.table } : read.family ? { family: read.family } : {};
    let ruleset;
    try {
      ruleset = await listRuleset(conn, filter);
    } catch (err) {
      // A dump filtered by a table that does not exist fails with ENOENT.
      if (err instanceof NetlinkError && err.code === 'ENOENT' && read.nameSpan) throw new NotFoundError(source, read.what === 'table' ? read.nameSpan : read.span);
      throw err;
    }
    if (read.nameSpan && selectTables(ruleset, read).length === 0) throw new NotFoundError(source, read.nameSpan);
    if (options.json || ctx.json) ctx.out(JSON.stringify(listJson(ruleset, read, list), null, ctx.pretty ? 2 : undefined));
    else for (const line of listText(ruleset, read, list)) ctx.out(line);
  }
}

/** Compile, show, apply (one batch) and list. @throws ParseError, KernelRejectedError */
export async function execute(ctx: CliContext, commands: readonly CommandNode[], source: Source, options: ExecuteOptions): Promise<CompiledCommands> {
  const compiled = await compileForContext(ctx, commands, source);
  if (options.debugNetlink) {
    const text = netlinkDebugText(compiled.batch);
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (const line of lines) ctx.out(line);
  }
  if (options.check) return compiled;
  if (compiled.batch.length > 0) {
    try {
      await applyBatch(ctx.connect(NetlinkProtocol.NETLINK_NETFILTER), { commands: compiled.batch });
    } catch (err) {
      if (err instanceof NftBatchError) throw new KernelRejectedError(err, compiled.batch, compiled.origins, source);
      throw err;
    }
  }
  await runReads(ctx, compiled.reads, source, options);
  return compiled;
}
