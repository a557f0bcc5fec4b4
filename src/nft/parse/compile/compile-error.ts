/**
 * A problem found while compiling a parsed rule (a value of the wrong type, conflicting
 * protocols, a port without a transport protocol). It carries the span at fault; the
 * compiler's entry points turn it into a ParseError that shows the source line.
 */
import type { Span } from '../errors.js';

export class CompileError extends Error {
  constructor(
    message: string,
    readonly span: Span,
    /** Related spans (nft's `~~~`). */
    readonly context: readonly Span[] = [],
  ) {
    super(message);
  }
}
