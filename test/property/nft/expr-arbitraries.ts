/**
 * fast-check arbitraries for expressions: each definition's attributes from its declarations
 * (test/helpers/arbitrary.ts), with the nested expressions of dynset — which no shape can
 * describe — generated from the simple stateful expressions dynset actually carries.
 */
import fc from 'fast-check';
import type { CodecShape } from '../../../src/netlink/field.js';
import type { RawAttribute } from '../../../src/netlink/raw-attributes.js';
import { counter, expressionDefinitions, limit, quota, type Expression, type ExpressionDefinition } from '../../../src/nft/expressions/index.js';
import { arbitraryFor } from '../../helpers/arbitrary.js';

const NESTING_KEYS = new Set(['expr', 'expressions']);

function attributesShape(definition: ExpressionDefinition): CodecShape {
  const specs = Object.fromEntries(Object.entries(definition.data.specs).filter(([key]) => !NESTING_KEYS.has(key)));
  return { t: 'set', specs };
}

/** Attribute values of one definition (no nested expressions). */
export function attributesOf(definition: ExpressionDefinition): fc.Arbitrary<Record<string, unknown>> {
  // The nesting attributes are left out of the shape, so keep them out of `unknown` too.
  const excluded = new Set(Object.entries(definition.data.specs).filter(([k]) => NESTING_KEYS.has(k)).map(([, s]) => s.type));
  return (arbitraryFor(attributesShape(definition)) as fc.Arbitrary<Record<string, unknown> & { unknown?: RawAttribute[] }>).map((v) => {
    const unknown = v.unknown?.filter((a) => !excluded.has(a.type));
    const { unknown: _, ...rest } = v;
    return unknown?.length ? { ...rest, unknown } : rest;
  });
}

/** The stateful expressions a dynset or set element carries. */
const nestedExpression: fc.Arbitrary<Expression> = fc.oneof(
  ...[counter, limit, quota].map((d) => attributesOf(d as unknown as ExpressionDefinition).map((a) => ({ type: d.name, ...a }) as Expression)),
);

/** Attribute values of a definition, nested expressions included where it has them. */
export function attributesWithNested(definition: ExpressionDefinition): fc.Arbitrary<Record<string, unknown>> {
  const base = attributesOf(definition);
  if (!Object.keys(definition.data.specs).some((k) => NESTING_KEYS.has(k))) return base;
  return fc
    .tuple(base, fc.option(nestedExpression, { nil: undefined }), fc.option(fc.array(nestedExpression, { minLength: 1, maxLength: 2 }), { nil: undefined }))
    .map(([a, expr, expressions]) => ({ ...a, ...(expr ? { expr } : {}), ...(expressions ? { expressions } : {}) }));
}

/** Any modelled definition with attribute values for it. */
export const anyModelled: fc.Arbitrary<{ definition: ExpressionDefinition; attributes: Record<string, unknown> }> = fc.oneof(
  ...expressionDefinitions().map((d) => {
    const definition = d as unknown as ExpressionDefinition;
    return attributesWithNested(definition).map((attributes) => ({ definition, attributes }));
  }),
);

const names = new Set(expressionDefinitions().map((d) => d.name as string));
/** A kernel expression name this version does not model. */
export const unknownName: fc.Arbitrary<string> = fc
  .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 16 })
  .filter((s) => !s.includes('\0') && !names.has(s));

export const rawAttribute: fc.Arbitrary<RawAttribute> = fc.record({
  type: fc.integer({ min: 0, max: 0x3fff }),
  nested: fc.boolean(),
  netByteOrder: fc.boolean(),
  value: fc.uint8Array({ maxLength: 24 }),
});
