/**
 * The REPL's persistent history: `~/.netns_ts_history` (or $NETNS_TS_HISTORY), one command per
 * line, oldest first, created with mode 0600 (commands can name namespaces and addresses that
 * are nobody else's business). Lines are appended as they are entered, so two REPLs at once
 * both keep theirs.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HISTORY_FILE_MODE = 0o600;
export const HISTORY_SIZE = 1000;

export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.NETNS_TS_HISTORY ?? join(homedir(), '.netns_ts_history');
}

/** The saved history, newest first (readline's order), without repeats; [] if there is none. */
export function loadHistory(path: string, max = HISTORY_SIZE): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0 && out.length < max; i--) {
    const line = lines[i]!;
    if (line.trim() === '' || seen.has(line)) continue;
    seen.add(line);
    out.push(line);
  }
  return out;
}

/** Append one entered line (creating the file with mode 0600). */
export function appendHistory(path: string, line: string): void {
  if (line.trim() === '' || line.includes('\n')) return;
  try {
    appendFileSync(path, `${line}\n`, { mode: HISTORY_FILE_MODE });
  } catch {
    // A read-only home must not break the REPL: history is a convenience.
  }
}
