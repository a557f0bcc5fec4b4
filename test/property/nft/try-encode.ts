/**
 * Encoding in property tests of expressions: a value the codecs refuse is fine (it is a
 * ValidationError, never anything else) and is skipped.
 */
import { ValidationError } from '../../../src/netlink/errors.js';
import { Writer } from '../../../src/netlink/writer.js';

/** Encode, or undefined when the value is refused (a ValidationError, never anything else). */
export function tryEncode(write: (w: Writer) => void, options: { spans?: boolean; flagged?: boolean } = {}): Uint8Array | undefined {
  const w = new Writer(64, 0, { spans: options.spans ?? true });
  w.nestingFlagged = options.flagged ?? true;
  try {
    write(w);
  } catch (err) {
    if (err instanceof ValidationError) return undefined;
    throw err;
  }
  return w.finish().slice();
}
