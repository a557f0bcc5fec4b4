/**
 * Where a constant expression (constant.ts) keeps its encoding: a private field stamped onto
 * the expression object, invisible to equality checks, JSON, spreads and copies (a copy is an
 * ordinary expression). Apart from constant.ts so that the list encoder can read it without
 * importing the module that encodes.
 */
import { Stamp } from '../../netlink/hidden.js';

export interface StoredElement {
  /** The whole NFTA_LIST_ELEM, in the flagged nesting style, as a built expression is written. */
  readonly element: Uint8Array;
  /** The byte arrays inside the expression, and their content when it was encoded. */
  readonly arrays: readonly Uint8Array[];
  readonly contents: readonly Uint8Array[];
}

/** The stored bytes, in a private field (hidden.ts says why a field and not a WeakMap or symbol). */
class Stamped extends Stamp {
  #stored: StoredElement;

  private constructor(value: object, stored: StoredElement) {
    super(value);
    this.#stored = stored;
  }

  static stamp(value: object, stored: StoredElement): void {
    new Stamped(value, stored);
  }

  static get(value: object): StoredElement | undefined {
    return #stored in value ? (value as Stamped).#stored : undefined;
  }
}

/** Keep `stored` as the encoding of `expression` (once: it is frozen right after). */
export function storeElement(expression: object, stored: StoredElement): void {
  Stamped.stamp(expression, stored);
}

/** Whether `value` is a constant expression. */
export function isConstant(value: object): boolean {
  return Stamped.get(value) !== undefined;
}

/** The stored NFTA_LIST_ELEM of a constant expression whose byte arrays are as they were; else undefined. */
export function constantElement(value: object): Uint8Array | undefined {
  const stored = Stamped.get(value);
  if (stored === undefined) return undefined;
  const { arrays, contents } = stored;
  for (let i = 0; i < arrays.length; i++) {
    const now = arrays[i]!;
    const then = contents[i]!;
    if (now.length !== then.length) return undefined;
    for (let j = 0; j < then.length; j++) if (now[j] !== then[j]) return undefined;
  }
  return stored.element;
}
