/**
 * What the user sees when a command fails: one line and an exit status. Command line errors
 * exit with 2, refusals and failures with 1; anything else is a bug and says so.
 */
import { NetnsError } from '../netlink/errors.js';
import { CommandFailure } from './failure.js';
import { UsageError } from './usage-error.js';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** EX_SOFTWARE: an internal error (a bug in netns-ts). */
export const EXIT_INTERNAL = 70;

/**
 * The line to print and the exit status. `details` are the extra lines an nft error carries
 * (the command and carets under the part at fault, as nft prints them).
 */
export function describeFailure(err: unknown): { message: string; status: number; details: string[] } {
  if (err instanceof UsageError) return { message: err.message, status: EXIT_USAGE, details: [] };
  if (err instanceof CommandFailure || err instanceof NetnsError) return { message: oneLine(err.message), status: EXIT_FAILURE, details: caretDetails(err) };
  if (err instanceof Error && typeof (err as { code?: unknown }).code === 'string') return { message: oneLine(err.message), status: EXIT_FAILURE, details: [] };
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { message: `internal error: ${oneLine(text)}`, status: EXIT_INTERNAL, details: [] };
}

function caretDetails(err: Error): string[] {
  const e = err as { sourceLine?: unknown; caretLine?: unknown };
  return typeof e.sourceLine === 'string' && typeof e.caretLine === 'string' ? [e.sourceLine, e.caretLine] : [];
}

/** Print a failure: its line (with `prefix`), then any detail lines. Returns the exit status. */
export function reportFailure(err: unknown, write: (line: string) => void, prefix = 'netns-ts: '): number {
  const d = describeFailure(err);
  write(`${prefix}${d.message}`);
  for (const line of d.details) write(line);
  return d.status;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}
