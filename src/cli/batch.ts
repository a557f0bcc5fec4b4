/**
 * Batch mode (`netns-ts -b FILE`, `-batch FILE`, or commands piped to stdin): one command per
 * line, `ip`-prefixed, `nft …`, `iptables …` or bare ip (`link add …`, as `ip -b` files are),
 * `#` comments and blank lines skipped. Everything runs in this one process over the session's
 * connections (opened once per namespace, reused by every line). The first failure stops the
 * batch with `line N:` before its message; with `-force` the rest still runs and the exit
 * status says whether any line failed.
 */
import { readFileSync } from 'node:fs';
import { reportFailure } from './report.js';
import { dispatch } from './dispatch.js';
import type { IpOptions } from './ip/options.js';
import type { CliSession } from './session.js';
import { splitWords } from './words.js';
import { UsageError } from './usage-error.js';

export interface BatchOptions {
  force: boolean;
  /** Options given before `-b` (e.g. `-n NS`), applied to every line. */
  ipOptions: IpOptions;
  signal?: AbortSignal;
}

/** The text of a batch source: a file, or stdin for `-`. */
export function readBatch(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read batch file ${file}: ${(err as Error).message}`);
  }
}

/** Run every line of `text`; returns the exit status. */
export async function runBatch(text: string, session: CliSession, o: BatchOptions): Promise<number> {
  const lines = text.split('\n');
  let failed = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let status: number;
    try {
      const words = splitWords(line);
      if (words.length === 0) continue;
      // A line may repeat the program name, as in a shell script.
      if (words[0] === 'netns-ts') words.shift();
      status = await dispatch(words, session, { ...o.ipOptions }, o.signal);
    } catch (err) {
      status = reportFailure(err, session.io.err, `netns-ts: line ${i + 1}: `);
    }
    if (status !== 0) {
      failed++;
      if (!o.force) return status;
    }
  }
  return failed > 0 ? 1 : 0;
}
