/**
 * One line per failure. A command that fails says which command, which words of it, and why:
 *
 *   ip link add: mtu 10: MTU must be between 68 and 65535 (kernel: EINVAL)
 *   ip addr add: dev veth9: no such device (kernel: ENODEV)
 *
 * The words come from the command's TokenMap: a ValidationError's field or a NetlinkError's
 * attribute path is looked up there; a kernel refusal without an attribute falls back to the
 * words its extack message mentions, then to the command's subject.
 */
import { getSystemErrorMap } from 'node:util';
import { NetlinkError, NetnsError, ValidationError } from '../netlink/errors.js';
import type { TokenMap } from './tokens.js';
import { UsageError } from './usage-error.js';

/** A command that ran and failed; `message` is the one line to print (without `netns-ts: `). */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
  constructor(
    /** `ip link add` */
    readonly command: string,
    /** The words at fault, e.g. `mtu 10`; undefined when nothing narrower than the command is known. */
    readonly words: string | undefined,
    /** Why: the kernel's extack message, the errno description, or the validation message. */
    readonly reason: string,
    /** The kernel's errno name (EINVAL …) when the kernel refused. */
    readonly code?: string,
  ) {
    super([command, words, `${reason}${code ? ` (kernel: ${code})` : ''}`].filter((p) => p !== undefined && p !== '').join(': '));
  }
}

let errnoDescriptions: Map<number, [string, string]> | undefined;

/** strerror() for a positive errno: "File exists". */
export function errnoDescription(errno: number): string | undefined {
  errnoDescriptions ??= getSystemErrorMap();
  return errnoDescriptions.get(-errno)?.[1];
}

/** The validation message without the `field: ` prefix ValidationError adds. */
function validationReason(err: ValidationError): string {
  const prefix = `${err.field}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

function kernelReason(err: NetlinkError): string {
  const base = err.extack ?? errnoDescription(err.errno) ?? err.code;
  return err.expected ? `${base}, expected ${err.expected}` : base;
}

/**
 * Turn what a command threw into a CommandFailure naming its words; errors that are not about
 * the command's input (bugs) pass through unchanged.
 */
export function explain(command: string, tokens: TokenMap, err: unknown): unknown {
  if (err instanceof CommandFailure || err instanceof UsageError) return err;
  if (err instanceof ValidationError) {
    return new CommandFailure(command, tokens.find(err.field) ?? tokens.subject, validationReason(err));
  }
  if (err instanceof NetlinkError) {
    const words = tokens.find(err.attribute) ?? tokens.find(err.missingIn) ?? tokens.mentionedIn(err.extack) ?? tokens.subject;
    return new CommandFailure(command, words, kernelReason(err), err.code);
  }
  if (err instanceof NetnsError) return new CommandFailure(command, tokens.subject, err.message);
  // System errors from namespace operations (ENOENT for a missing namespace …) carry a code.
  if (err instanceof Error && typeof (err as { code?: unknown }).code === 'string') {
    return new CommandFailure(command, undefined, err.message);
  }
  return err;
}

/** Run a command's work, turning its failures into CommandFailures (see {@link explain}). */
export async function withTokens<T>(command: string, tokens: TokenMap, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw explain(command, tokens, err);
  }
}
