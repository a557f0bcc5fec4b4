/**
 * Constant expressions (nft/expressions/constant.ts): frozen and encoded once, otherwise
 * ordinary values — equal to their copies, invisible state, refused as any expression is.
 * Their bytes in a batch are held to the general path's by the property test
 * (test/property/nft/constant-expression.property.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/netlink/errors.js';
import { constantElement, isConstant } from '../../../src/nft/expressions/constant-element.js';
import { constantExpression } from '../../../src/nft/expressions/constant.js';
import type { Expression } from '../../../src/nft/expressions/index.js';

const natStatement = (): Expression => ({ type: 'nat', natType: 'dnat', family: 'ip', addrMin: 1, protoMin: 2, flags: ['proto-specified'] });
const portCompare = (): Expression => ({ type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(0x1f, 0x90) } });

describe('constantExpression', () => {
  it('returns the expression itself, frozen through its objects and arrays', () => {
    const e = natStatement();
    expect(constantExpression(e)).toBe(e);
    expect(Object.isFrozen(e)).toBe(true);
    expect(Object.isFrozen((e as { flags: string[] }).flags)).toBe(true);
    const c = constantExpression(portCompare()) as { data: { value: Uint8Array } };
    expect(Object.isFrozen(c.data)).toBe(true);
    // Byte arrays cannot be frozen: their content is checked when the stored bytes are used.
    c.data.value[0] = 0;
    expect(c.data.value[0]).toBe(0);
    expect(constantElement(c)).toBeUndefined();
    c.data.value[0] = 0x1f;
    expect(constantElement(c)).toBeInstanceOf(Uint8Array);
  });

  it('is an ordinary value to everything else: equal to a copy, the same JSON, copies not constant', () => {
    const e = constantExpression(portCompare());
    expect(e).toEqual(portCompare());
    expect(JSON.stringify(natStatement())).toBe(JSON.stringify(constantExpression(natStatement())));
    expect(isConstant({ ...e })).toBe(false);
    expect(isConstant(structuredClone(e))).toBe(false);
    expect(isConstant(e)).toBe(true);
    expect(constantExpression(e)).toBe(e);
  });

  it('refuses an expression that does not encode, naming the attribute, and leaves it as it was', () => {
    const bad = { type: 'cmp', sreg: 1, op: 'bigger', data: { value: Uint8Array.of(1) } } as unknown as Expression;
    expect(() => constantExpression(bad)).toThrow(ValidationError);
    expect(() => constantExpression(bad)).toThrow(/op/);
    expect(Object.isFrozen(bad)).toBe(false);
    expect(isConstant(bad)).toBe(false);
    expect(() => constantExpression({ type: 'nosuch' } as unknown as Expression)).toThrow(ValidationError);
  });
});
