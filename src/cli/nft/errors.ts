/**
 * A command the kernel refused, shown the way nft shows it: what could not be done and why
 * (errno and the kernel's extack message), the command, and carets under the part the kernel
 * pointed at (the statement of the expression its extack offset names, or the whole command).
 *
 *   Error: Could not process rule: No such file or directory
 *   add rule ip nat POSTROUTING masquerade
 *   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
 */
import { describeErrno } from '../../netlink/constants.js';
import { NetnsError, type NetlinkError } from '../../netlink/errors.js';
import { ERESTART } from '../../nft/constants.js';
import type { NftBatchError } from '../../nft/batch-errors.js';
import type { NftCommand } from '../../nft/command.js';
import type { Origin } from '../../nft/parse/compile/commands.js';
import { caretLines, lineAt, type Source, type Span } from '../../nft/parse/errors.js';

/** nft's noun for what a message type creates or deletes. */
const OBJECT: Readonly<Record<string, string>> = { TABLE: 'table', CHAIN: 'chain', RULE: 'rule', SETELEM: 'set element', SET: 'set', OBJ: 'object', FLOWTABLE: 'flowtable' };

function noun(command: NftCommand | undefined): string {
  const m = command ? /^NFT_MSG_(?:NEW|DEL|DESTROY)(TABLE|CHAIN|RULE|SETELEM|SET|OBJ|FLOWTABLE)$/.exec(command.type) : null;
  return m ? OBJECT[m[1]!]! : 'batch';
}

/**
 * The part of the command an attribute path points at: the statement of `expressions[3]…`, the
 * chain name for `chain`, the handle for `position` … or else the whole command.
 */
function spanOf(origin: Origin, attribute: string | undefined): Span {
  const m = attribute ? /^expressions\[(\d+)\]/.exec(attribute) : null;
  if (m) return origin.expressions?.[Number(m[1])] ?? origin.span;
  const first = attribute?.split(/[.[]/)[0];
  return (first !== undefined ? origin.attributes?.[first] : undefined) ?? origin.span;
}

/** An error about part of a command: it carries the command and the span to put carets under. */
abstract class PointedError extends NetnsError {
  abstract readonly source: Source;
  abstract readonly span: Span;

  /** The command line (or file line) the refused command came from. */
  get sourceLine(): string {
    return caretLines(this.source, this.span)[0];
  }

  /** Carets under the part at fault. */
  get caretLine(): string {
    return caretLines(this.source, this.span)[1];
  }

  /** nft's three lines: `Error: …`, the command, the carets. */
  format(): string {
    return `Error: ${this.message}\n${this.sourceLine}\n${this.caretLine}`;
  }
}

/** The kernel refused a command of the batch; nothing in the batch was applied. */
export class KernelRejectedError extends PointedError {
  override name = 'KernelRejectedError';
  /** The kernel's error for the refused command. */
  readonly error: NetlinkError | undefined;
  readonly source: Source;
  readonly span: Span;

  constructor(batchError: NftBatchError, batch: readonly NftCommand[], origins: readonly Origin[], source: Source) {
    const failure = batchError.firstFailure;
    const error = failure?.error ?? batchError.batchError;
    const origin = failure ? origins[failure.index] : undefined;
    const described = error ? (error.errno === ERESTART ? { description: 'ruleset generation changed' } : describeErrno(error.errno)) : undefined;
    const why = described ? `${described.description.charAt(0).toUpperCase()}${described.description.slice(1)}` : batchError.message;
    const extack = error?.extack ? ` (${error.extack})` : '';
    super(`Could not process ${noun(failure ? batch[failure.index] : undefined)}: ${why}${extack}`);
    this.error = error;
    this.source = source;
    this.span = origin ? spanOf(origin, error?.attribute) : { start: 0, end: source.text.length };
    const where = lineAt(source, this.span.start);
    if (source.name !== undefined) this.message = `${source.name}:${where.line + 1}:${this.span.start - where.start + 1}: ${this.message}`;
  }
}

/** `list table|chain|set|map` of something that does not exist (nft: "No such file or directory"). */
export class NotFoundError extends PointedError {
  override name = 'NotFoundError';
  readonly source: Source;
  readonly span: Span;

  constructor(source: Source, span: Span) {
    super('No such file or directory');
    this.source = source;
    this.span = span;
  }
}
