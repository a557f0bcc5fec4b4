/**
 * Every expression's attributes round-trip with generated values (unknown attributes, enum
 * values and flag bits included); whole expressions either round-trip or are refused with a
 * ValidationError before anything is written; and what decodes re-encodes to the same bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/netlink/errors.js';
import { expressionDefinitions, expressionListCodec, describeExpression, type Expression, type ExpressionDefinition } from '../../../src/nft/expressions/index.js';
import { RUNS } from '../../helpers/arbitrary.js';
import { tryEncode } from './try-encode.js';
import { anyModelled, attributesWithNested } from './expr-arbitraries.js';


describe('expression attributes round-trip (property)', () => {
  for (const d of expressionDefinitions()) {
    const definition = d as unknown as ExpressionDefinition;
    it(`${definition.name}`, () => {
      fc.assert(
        fc.property(attributesWithNested(definition), (attributes) => {
          const bytes = tryEncode((w) => definition.data.encode(w, attributes, definition.name));
          // Only data values of 0 or more than 64 bytes are refused at this level.
          if (!bytes) return;
          const back = definition.data.decode(bytes, 0, definition.name);
          expect(back).toEqual(attributes);
          expect(tryEncode((w) => definition.data.encode(w, back, definition.name))).toEqual(bytes);
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe('whole expressions (property)', () => {
  it('round-trip through a list, or are refused with a ValidationError; the description never throws', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(anyModelled, { minLength: 1, maxLength: 4 }), (items) => {
        const list = items.map(({ definition, attributes }) => ({ type: definition.name, ...attributes }) as Expression);
        const bytes = tryEncode((w) => expressionListCodec.encode(w, list, 'expressions'));
        if (!bytes) return;
        accepted++;
        const back = expressionListCodec.decode(bytes, 0, 'expressions');
        expect(back).toEqual(list);
        expect(tryEncode((w) => expressionListCodec.encode(w, back, 'expressions'))).toEqual(bytes);
        for (const e of back) expect(typeof describeExpression(e)).toBe('string');
      }),
      { numRuns: RUNS },
    );
    // The generator must reach the accepting branch, or the property says nothing.
    expect(accepted).toBeGreaterThan(RUNS / 20);
  });
});
