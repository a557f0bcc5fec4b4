/**
 * The journal: a small JSON file per topology under /run/netns-ts recording what this topology
 * created and what it changed (with the previous values), written BEFORE each change, so a
 * destroy or re-apply after a crash knows exactly what is ours. /run is a tmpfs: a reboot
 * clears both the journal and everything it describes.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const JOURNAL_DIR = '/run/netns-ts';

export interface SysctlChange {
  /** Namespace name, or undefined for the process's own. */
  netns?: string;
  key: string;
  previous: string;
}

export interface Journal {
  version: 1;
  topology: string;
  host?: string;
  /** Namespaces this topology created (the host namespace too, with createHost). */
  namespaces: string[];
  /** Sysctls it changed, to restore on destroy. */
  sysctls: SysctlChange[];
  /** The forwards last applied, to flush their conntrack entries when they go away. */
  forwards: Array<{ protocol: 'tcp' | 'udp'; family: 4 | 6; ports: [number, number]; toAddress: string; toPorts: [number, number] }>;
}

function pathOf(topology: string, dir: string): string {
  return join(dir, `${topology}.json`);
}

export function readJournal(topology: string, dir = JOURNAL_DIR): Journal | undefined {
  try {
    return JSON.parse(readFileSync(pathOf(topology, dir), 'utf8')) as Journal;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function emptyJournal(topology: string, host: string | undefined): Journal {
  return { version: 1, topology, ...(host !== undefined ? { host } : {}), namespaces: [], sysctls: [], forwards: [] };
}

/** Replace the journal atomically (write a temporary file, fsync by writeFileSync's close, rename). */
export function writeJournal(journal: Journal, dir = JOURNAL_DIR): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = pathOf(journal.topology, dir);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(journal, null, 2)}\n`, { mode: 0o600, flush: true });
  renameSync(tmp, path);
}

export function removeJournal(topology: string, dir = JOURNAL_DIR): void {
  rmSync(pathOf(topology, dir), { force: true });
}
