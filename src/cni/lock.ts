/**
 * A lock file serializing this plugin's read-modify-write of shared state (its nf_tables
 * table and state directory) across the processes a runtime starts at once. Node has no
 * flock(), so the lock is a file created atomically (link(2) of a private file: it fails with
 * EEXIST while someone holds it) holding the owner's pid and process start time. A lock whose
 * owner is gone (killed mid-operation) is broken by renaming it away and re-checking it was
 * the stale one. nf_tables changes are additionally pinned to the ruleset generation they
 * were computed from, so even a wrongly broken lock cannot make a batch act on stale handles.
 */
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CniError, CniErrorCode } from './errors.js';

export interface LockOptions {
  /** Give up after this long (default 30 s): CniError 11, try again later. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** Retry delays grow from 1 ms to this, with jitter, so waiters do not move in lockstep. */
const MAX_DELAY_MS = 20;
/** Field 22 of /proc/PID/stat: start time in clock ticks since boot. */
const STAT_STARTTIME_FIELD = 22;

/** The start time of a process, or undefined when it does not exist. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: count fields after its closing paren.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[STAT_STARTTIME_FIELD - 3];
  } catch {
    return undefined;
  }
}

function ownerToken(): string {
  return `${process.pid} ${startTime(process.pid) ?? '?'}\n`;
}

/** Whether a lock's content names a process that is gone (or a different process with its pid). */
function isStale(content: string): boolean {
  const [pid, started] = content.trim().split(' ');
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0) return content.length > 0;
  const now = startTime(n);
  return now === undefined || (started !== '?' && now !== started);
}

function readOrEmpty(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Break a stale lock: move it aside, and put it back if it turned out to be a fresh one. */
function breakStale(path: string, seen: string): void {
  const aside = `${path}.stale-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const content = readOrEmpty(aside);
  if (content !== undefined && content !== seen) {
    // Someone took the lock between our read and the rename: hand it back.
    try {
      linkSync(aside, path);
    } catch {
      /* a third process holds it now; the generation id still guards nf_tables */
    }
  }
  unlinkSync(aside);
}

/** Take the lock at `path` (creating its directory), run `fn`, release the lock. */
export async function withLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const dir = path.slice(0, path.lastIndexOf('/'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const token = ownerToken();
  const mine = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(mine, token, { mode: 0o600 });
  let delay = 1;
  try {
    for (;;) {
      try {
        linkSync(mine, path);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const content = readOrEmpty(path);
      if (content !== undefined && isStale(content)) {
        breakStale(path, content);
        continue;
      }
      if (Date.now() > deadline) throw new CniError(CniErrorCode.TryAgainLater, `the netns-ts-cni lock ${path} stayed busy`, `held by ${content?.trim() ?? 'nobody (released meanwhile)'}`);
      await sleep(delay + Math.random() * delay);
      delay = Math.min(MAX_DELAY_MS, delay * 2);
    }
  } finally {
    unlinkSync(mine);
  }
  try {
    return await fn();
  } finally {
    // Release only if it is still ours (a broken-then-retaken lock belongs to someone else).
    if (readOrEmpty(path) === token) unlinkSync(path);
  }
}
