/**
 * What a decoded value carries out of sight: the few details of its wire form that encoding
 * it plainly would not reproduce. Only the values that need one carry it, and one slot holds
 * it all, so the encoders tell a plain value with a single check.
 *
 * The slot is a private class field stamped onto the (plain) value: a base class constructor
 * may return any object, and a derived class then adds its private fields to that object.
 * Private fields are invisible to everything but this module — equality checks (even
 * deepStrictEqual), JSON, for…in, Object.keys, symbols, spreads (a spread copy is a fresh
 * value without it) and structuredClone — and adding one costs about what adding a property
 * does: measured 30 ns against 500 ns for Object.defineProperty of a hidden symbol, and a
 * WeakMap entry costs more still (this runs for every rule of a 10,000-rule dump).
 */
export interface DecodedState {
  /** The wire layout of an attribute set's value (attribute-set.ts). */
  readonly wire?: readonly number[];
  /** Its nests came without NLA_F_NESTED, as the kernel dumps them (nesting-style.ts). */
  readonly unflagged?: true;
  /** How an nf_tables expression element was framed (nft/expressions/expression-layout.ts). */
  readonly element?: object;
}

/**
 * Returns the object it is given, so a derived class stamps its fields onto that object: the
 * base of every out-of-sight slot (here, and constant expressions' stored bytes).
 */
export class Stamp {
  constructor(value: object) {
    return value;
  }
}

class Hidden extends Stamp {
  #state: DecodedState;

  private constructor(value: object, state: DecodedState) {
    super(value);
    this.#state = state;
  }

  static get(value: object): DecodedState | undefined {
    return #state in value ? (value as Hidden).#state : undefined;
  }

  static set(value: object, state: DecodedState): void {
    if (#state in value) (value as Hidden).#state = state;
    else new Hidden(value, state);
  }
}

/** The state `value` carries, if any. */
export function decodedState(value: object): DecodedState | undefined {
  return Hidden.get(value);
}

/** Add to the state `value` carries (states are never changed in place: they may be shared). */
export function rememberState(value: object, more: DecodedState): void {
  const before = Hidden.get(value);
  Hidden.set(value, before ? { ...before, ...more } : more);
}
