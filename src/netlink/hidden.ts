/**
 * Out-of-sight state on values: a non-enumerable symbol property, which equality checks,
 * JSON, for…in, Object.keys, spreads and structuredClone all ignore (a spread copy is thus a
 * fresh value without it). Used for decoded values' wire layouts, which only the few values
 * that need one carry: reading a property a value does not have costs next to nothing, where
 * a WeakMap lookup per attribute set encoded would show in a 10,000-rule batch.
 */
export interface Hidden<T> {
  get(value: object): T | undefined;
  set(value: object, state: T): void;
}

export function hiddenProperty<T>(description: string): Hidden<T> {
  const key = Symbol(description);
  return {
    get: (value) => (value as Record<symbol, T | undefined>)[key],
    set: (value, state) => {
      Object.defineProperty(value, key, { value: state, enumerable: false, writable: true, configurable: true });
    },
  };
}
