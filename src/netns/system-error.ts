/**
 * System errors raised by the namespace layer keep the {@link NativeError} shape (`code`,
 * `errno`, `syscall`) so callers branch on `code` the same way whether the failure came from
 * the binding or from Node's fs, but their message says which namespace was involved.
 */
import type { NativeError } from '../native/binding.js';

/** A {@link NativeError} about a file, with the path involved. */
export type NetnsSystemError = NativeError & { path?: string };

/** Is `err` shaped like a system error (has a string `code`)? */
export function isSystemError(err: unknown): err is NativeError {
  return err instanceof Error && typeof (err as Partial<NativeError>).code === 'string';
}

/**
 * Wraps a system error with context, keeping `code`, `errno` and `syscall` (and `path` when
 * given). Anything that is not a system error is returned untouched.
 */
export function withContext(err: unknown, message: string, path?: string): unknown {
  if (!isSystemError(err)) return err;
  const wrapped = new Error(`${message}: ${err.code} (${describe(err)})`, { cause: err }) as NetnsSystemError;
  wrapped.code = err.code;
  // Node's fs errors carry a negative errno; the binding's are positive. Normalise to positive.
  wrapped.errno = Math.abs(typeof err.errno === 'number' ? err.errno : 0);
  wrapped.syscall = err.syscall ?? '';
  if (path !== undefined) wrapped.path = path;
  return wrapped;
}

/** The human part of a system error message, e.g. "No such file or directory". */
function describe(err: NativeError): string {
  // Binding messages: "syscall: CODE (description)"; fs messages: "CODE: description, syscall 'path'".
  const fromBinding = /\(([^()]*)\)\s*$/.exec(err.message);
  if (fromBinding?.[1] !== undefined) return fromBinding[1];
  const fromFs = /^[A-Z0-9]+: ([^,]*)/.exec(err.message);
  return fromFs?.[1] ?? err.message;
}
