/**
 * The explicit expression table: the expressions issue 4 asks for, each under its kernel name,
 * each attribute table consistent with the kernel's numbering.
 */
import { describe, expect, it } from 'vitest';
import { expressionDefinition, expressionDefinitions } from '../../../src/nft/expressions/index.js';

const REQUIRED = [
  'payload', 'cmp', 'meta', 'immediate', 'bitwise', 'range', 'lookup', 'ct', 'nat', 'masq', 'redir',
  'counter', 'limit', 'log', 'reject', 'fib', 'exthdr', 'quota', 'notrack', 'dynset', 'objref',
];

describe('expression registry', () => {
  it('models every expression of the issue, once each', () => {
    const names = expressionDefinitions().map((d) => d.name);
    expect([...names].sort()).toEqual([...REQUIRED].sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it('finds definitions by kernel name; other names are not modelled', () => {
    for (const name of REQUIRED) expect(expressionDefinition(name)?.name).toBe(name);
    expect(expressionDefinition('queue')).toBeUndefined();
    expect(expressionDefinition('opaque')).toBeUndefined();
    expect(expressionDefinition('')).toBeUndefined();
  });

  it("never uses an expression's discriminant `type` as an attribute key", () => {
    for (const d of expressionDefinitions()) expect(Object.keys(d.data.specs)).not.toContain('type');
  });

  it('numbers attributes from 1 without gaps beyond the kernel enum', () => {
    for (const d of expressionDefinitions()) {
      const types = Object.values(d.data.specs).map((s) => s.type);
      for (const t of types) expect(t).toBeGreaterThanOrEqual(1);
      expect(new Set(types).size).toBe(types.length);
    }
  });
});
