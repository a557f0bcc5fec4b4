/**
 * The nesting style of decoded values. nf_tables and rtnetlink requests (libnftnl, iproute2)
 * flag nested attributes with NLA_F_NESTED, but the kernel dumps them without it
 * (nla_nest_start_noflag). Both are canonical here: the compiled decoders accept either
 * (decode-plan.ts), note which one they saw, and the value at the top of a decode whose every
 * nested attribute came unflagged is marked — one mark per message, not one remembered layout
 * per nested value. Encoding a marked value writes the nested attributes it writes with its
 * codecs' own flags (not remembered ones) unflagged (Writer.nestingFlagged), so decode →
 * encode still gives back the kernel's bytes.
 */
import { decodedState, rememberState, type DecodedState } from './hidden.js';

/** A nested attribute flagged NLA_F_NESTED was read. */
export const FLAGGED = 1;
/** A nested attribute without NLA_F_NESTED was read. */
export const UNFLAGGED = 2;

/** What the decode running now has seen (FLAGGED | UNFLAGGED bits); decoding is synchronous. */
export const nestingSeen = { bits: 0 };
/** Decodes of their own (values that may be marked) running now, one inside the other. */
let depth = 0;
/**
 * Values that came all unflagged, inside a decode still running: if that one ends all
 * unflagged too, its mark covers them (the writer's style passes down while it is encoded);
 * otherwise they are marked themselves. So a dump of rules marks each rule, not every nest.
 */
const pending: object[] = [];

/**
 * Where a decode of its own started — what to restore when it ends: the enclosing decode's
 * bits and how many values were pending, in one number (no object per decode).
 */
export type NestingMark = number;
const BITS = 4;

/** Start a decode of its own (see endNesting). */
export function beginNesting(): NestingMark {
  const mark = pending.length * BITS + nestingSeen.bits;
  nestingSeen.bits = 0;
  depth++;
  return mark;
}

/**
 * End it with its `value` (undefined: it gave up) and return what it saw, which the enclosing
 * decode sees too. A value seen all unflagged is marked (now, or by the decode around it). A
 * value that saw both styles gets no mark: from a fast decoder it is dropped, and its caller
 * decodes it again exactly; from the exact decoder (`exact`), which remembers its own
 * attributes' flags, it stays, and the values below it that came all unflagged are marked
 * themselves.
 */
export function endNesting(mark: NestingMark, value: object | undefined, exact = false): number {
  depth--;
  const pendingFrom = Math.floor(mark / BITS);
  const seen = nestingSeen.bits;
  nestingSeen.bits = (mark % BITS) | seen;
  if (value === undefined || (seen === (FLAGGED | UNFLAGGED) && !exact)) {
    if (pending.length > pendingFrom) pending.length = pendingFrom;
  } else if (seen === UNFLAGGED) {
    if (pending.length > pendingFrom) pending.length = pendingFrom;
    if (depth > 0) pending.push(value);
    else markUnflagged(value);
  } else if (pending.length > pendingFrom) {
    for (let i = pendingFrom; i < pending.length; i++) markUnflagged(pending[i]!);
    pending.length = pendingFrom;
  }
  return seen;
}

/** Note a nested attribute read with the codec's default flags in mind (`flagged`: had NLA_F_NESTED). */
export function noteNested(flagged: boolean): void {
  nestingSeen.bits |= flagged ? FLAGGED : UNFLAGGED;
}

const UNFLAGGED_STATE: DecodedState = { unflagged: true };

/** Mark `value` as decoded from attributes whose nesting was unflagged throughout. */
export function markUnflagged(value: object): void {
  rememberState(value, UNFLAGGED_STATE);
}

export function isUnflagged(value: object): boolean {
  return decodedState(value)?.unflagged === true;
}
