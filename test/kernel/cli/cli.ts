/**
 * Helpers for the CLI's kernel tests: run `netns-ts` in-process (run()), run the real `ip` as
 * the oracle, and a throwaway named namespace per test file so the state compared is only what
 * the test made.
 */
import { execFileSync } from 'node:child_process';
import { run } from '../../../src/cli/run.js';

export interface CliResult {
  status: number;
  out: string;
  err: string;
}

/** `netns-ts ARGS…` in this process. */
export async function cli(...args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, out: out.join('\n'), err: err.join('\n') };
}

/** `netns-ts ARGS…`, which must succeed; its stdout. */
export async function cliOk(...args: string[]): Promise<string> {
  const r = await cli(...args);
  if (r.status !== 0) throw new Error(`netns-ts ${args.join(' ')} failed (${r.status}): ${r.err}`);
  return r.out;
}

/** `ip ARGS…` (the oracle); its stdout. */
export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
