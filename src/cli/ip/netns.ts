/**
 * `ip netns list|add|delete|set|list-id|identify|exec`: named network namespaces, made the way
 * iproute2 makes them (so `ip netns` and netns-ts see each other's), and namespace ids.
 */
import { once } from 'node:events';
import { fstatSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { NetlinkProtocol } from '../../netlink/constants.js';
import { ValidationError } from '../../netlink/errors.js';
import { escapeForDisplay } from '../../netlink/text.js';
import { createNetns, deleteNetns, execInNetns, listNetns, openNetns } from '../../netns/index.js';
import { Nsids } from '../../route/nsids.js';
import { ArgReader } from '../args.js';
import type { CliContext } from '../context.js';
import { CommandFailure, withTokens } from '../failure.js';
import { UsageError } from '../usage-error.js';
import { OBJECT_USAGE } from './help.js';
import { ipJsonText } from './json.js';
import { findVerb, NETNS_VERBS } from './objects.js';

const NSID_MAX = 2 ** 31 - 1;

export async function runNetns(args: readonly string[], ctx: CliContext): Promise<number> {
  const [verbWord, ...words] = args;
  const k = verbWord === undefined ? { name: 'list', verb: 'list' as const } : findVerb(verbWord, NETNS_VERBS);
  if (k === undefined) throw new UsageError(`ip netns: command "${verbWord}" is unknown (try "ip netns help")`);
  if (k.verb === undefined) throw new UsageError(`ip netns ${k.name}: not supported by netns-ts (supported: list, add, delete, set, list-id, identify, exec)`);
  const label = `ip netns ${k.name}`;
  const r = new ArgReader(label, words);
  switch (k.verb) {
    case 'help':
      ctx.out(OBJECT_USAGE.netns);
      return 0;
    case 'list':
      await withTokens(label, r.tokens, () => list(ctx));
      return 0;
    case 'list-id':
      await withTokens(label, r.tokens, () => listIds(ctx));
      return 0;
    case 'add':
    case 'delete': {
      const name = r.next('the namespace name');
      r.tokens.subject = name;
      r.tokens.note('netns', name);
      if (!r.done) throw r.unexpected();
      await withTokens(label, r.tokens, async () => {
        if (k.verb === 'add') createNetns(name);
        else {
          deleteNetns(name);
          ctx.netnsDeleted?.(name);
        }
      });
      return 0;
    }
    case 'set': {
      const name = r.next('the namespace name');
      r.tokens.subject = name;
      r.tokens.note('netns', name);
      const idText = r.next('the id (a number or auto)');
      r.tokens.note(['nsid', 'fd'], idText);
      if (!r.done) throw r.unexpected();
      const id = idText === 'auto' ? 'auto' : Number(idText);
      if (id !== 'auto' && (!/^[0-9]+$/.test(idText) || id > NSID_MAX)) throw r.fail(idText, `must be auto or a number from 0 to ${NSID_MAX}`);
      await withTokens(label, r.tokens, () => new Nsids(ctx.connect(NetlinkProtocol.NETLINK_ROUTE)).set(name, id));
      return 0;
    }
    case 'identify': {
      const pidText = r.done ? String(process.pid) : r.next();
      if (!/^[0-9]+$/.test(pidText)) throw r.fail(pidText, 'must be a process id');
      r.tokens.subject = pidText;
      if (!r.done) throw r.unexpected();
      const names = await withTokens(label, r.tokens, async () => identify(Number(pidText)));
      if (ctx.json) ctx.out(ipJsonText(names.map((name) => ({ name })), ctx.pretty));
      else for (const n of names) ctx.out(escapeForDisplay(n));
      return 0;
    }
    case 'exec': {
      const [name, ...argv] = r.rest();
      if (name === undefined || argv.length === 0) throw new UsageError('usage: ip netns exec NAME COMMAND [ARGS…]');
      r.tokens.subject = name;
      const child = await withTokens(label, r.tokens, async () => execInNetns(name, argv, { stdio: 'inherit' }));
      const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
      // Exit like a shell does for a child killed by a signal: 128 + the signal number.
      return code ?? 128 + (signal ? constants.signals[signal] : 0);
    }
  }
}

async function list(ctx: CliContext): Promise<void> {
  const nsids = new Nsids(ctx.connect(NetlinkProtocol.NETLINK_ROUTE));
  const entries: Array<{ name: string; id?: number }> = [];
  for (const name of listNetns()) {
    let id: number | undefined;
    try {
      id = await nsids.get(name);
    } catch (err) {
      // A stale entry (its namespace mount is gone) is listed without an id, as ip does.
      if (!(err instanceof ValidationError) && (err as { code?: string }).code !== 'ENOENT') throw err;
    }
    entries.push(id === undefined ? { name } : { name, id });
  }
  if (ctx.json) ctx.out(ipJsonText(entries, ctx.pretty));
  else for (const e of entries) ctx.out(e.id === undefined ? escapeForDisplay(e.name) : `${escapeForDisplay(e.name)} (id: ${e.id})`);
}

async function listIds(ctx: CliContext): Promise<void> {
  const nsids = new Nsids(ctx.connect(NetlinkProtocol.NETLINK_ROUTE));
  const rows: Array<{ nsid: number; name?: string }> = [];
  for (const e of await nsids.list()) {
    const name = await nsids.nameOf(e.nsid);
    rows.push(name === undefined ? { nsid: e.nsid } : { nsid: e.nsid, name });
  }
  if (ctx.json) ctx.out(ipJsonText(rows, ctx.pretty));
  else for (const row of rows) ctx.out(row.name === undefined ? `nsid ${row.nsid}` : `nsid ${row.nsid} (iproute2 netns name: ${escapeForDisplay(row.name)})`);
}

/** Names in /run/netns that are the namespace of process `pid` (same device and inode). */
function identify(pid: number): string[] {
  let target: { dev: number; ino: number };
  try {
    target = statSync(`/proc/${pid}/ns/net`);
  } catch (err) {
    throw new CommandFailure('ip netns identify', String(pid), `cannot read the namespace of process ${pid}: ${(err as Error).message}`);
  }
  const out: string[] = [];
  for (const name of listNetns()) {
    try {
      const h = openNetns(name);
      try {
        const st = fstatSync(h.fd);
        if (st.dev === target.dev && st.ino === target.ino) out.push(name);
      } finally {
        h.close();
      }
    } catch {
      // Stale or unreadable entries cannot be the namespace asked about.
    }
  }
  return out;
}

