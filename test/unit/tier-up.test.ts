import { describe, expect, it } from 'vitest';
import { COMPILE_AFTER_USES, compiledAfterUses } from '../../src/netlink/tier-up.js';

describe('compiledAfterUses (generated code only for declarations used more than a few times)', () => {
  it('does not compile before the given number of uses, then compiles exactly once', () => {
    let compiles = 0;
    const get = compiledAfterUses(() => ++compiles, 3);
    expect([get(), get()]).toEqual([undefined, undefined]);
    expect(compiles).toBe(0);
    expect(get()).toBe(1);
    expect([get(), get(), get()]).toEqual([1, 1, 1]);
    expect(compiles).toBe(1);
  });

  it('keeps "cannot be compiled" (undefined) without trying again', () => {
    let compiles = 0;
    const get = compiledAfterUses(() => {
      compiles++;
      return undefined;
    }, 1);
    expect([get(), get(), get()]).toEqual([undefined, undefined, undefined]);
    expect(compiles).toBe(1);
  });

  it('uses the library default when no count is given', () => {
    let compiles = 0;
    const get = compiledAfterUses(() => ++compiles);
    for (let i = 1; i < COMPILE_AFTER_USES; i++) expect(get()).toBeUndefined();
    expect(get()).toBe(1);
  });
});
