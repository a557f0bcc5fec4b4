/**
 * Unknown expressions round-trip byte-exact, and so does every wire detail of an expression
 * element a value does not show: the header flags of the list element, the name and the data,
 * extra attributes in the element, a missing NFTA_EXPR_DATA.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRawAttributes, type RawAttribute } from '../../../src/netlink/raw-attributes.js';
import { Writer } from '../../../src/netlink/writer.js';
import { expressionListCodec, type ExpressionDefinition } from '../../../src/nft/expressions/index.js';
import { RUNS } from '../../helpers/arbitrary.js';
import { anyModelled, rawAttribute, unknownName } from './expr-arbitraries.js';

const NFTA_LIST_ELEM = 1;
const NFTA_EXPR_NAME = 1;
const NFTA_EXPR_DATA = 2;
const enc = new TextEncoder();

function encodeList(list: Parameters<typeof expressionListCodec.encode>[1]): Uint8Array {
  const w = new Writer();
  expressionListCodec.encode(w, list, 'expressions');
  return w.finish().slice();
}

/** One list element built attribute by attribute, with arbitrary header flags. */
const element = (name: string, data: Uint8Array | undefined) =>
  fc
    .record({
      listFlags: fc.tuple(fc.boolean(), fc.boolean()),
      nameFlags: fc.tuple(fc.boolean(), fc.boolean()),
      dataFlags: fc.tuple(fc.boolean(), fc.boolean()),
      extra: fc.array(rawAttribute.filter((a) => a.type !== NFTA_EXPR_NAME && a.type !== NFTA_EXPR_DATA), { maxLength: 2 }),
      dataFirst: fc.boolean(),
    })
    .map(({ listFlags, nameFlags, dataFlags, extra, dataFirst }): RawAttribute => {
      const nameAttr: RawAttribute = { type: NFTA_EXPR_NAME, nested: nameFlags[0], netByteOrder: nameFlags[1], value: enc.encode(`${name}\0`) };
      const dataAttr: RawAttribute[] = data ? [{ type: NFTA_EXPR_DATA, nested: dataFlags[0], netByteOrder: dataFlags[1], value: data }] : [];
      const attrs = dataFirst ? [...dataAttr, nameAttr, ...extra] : [nameAttr, ...extra, ...dataAttr];
      return { type: NFTA_LIST_ELEM, nested: listFlags[0], netByteOrder: listFlags[1], value: encodeRawAttributes(attrs) };
    });

const unknownElement = fc
  .tuple(unknownName, fc.option(fc.array(rawAttribute, { maxLength: 4 }), { nil: undefined }))
  .chain(([name, data]) => element(name, data && encodeRawAttributes(data)));

const knownElement = anyModelled.chain(({ definition, attributes }) => {
  const w = new Writer();
  try {
    (definition as ExpressionDefinition).data.encode(w, attributes, definition.name);
  } catch {
    return element(definition.name, undefined);
  }
  return element(definition.name, w.finish().slice());
});

describe('expression elements (property)', () => {
  it('unknown expressions: decode to opaque values and encode back byte-exact', () => {
    fc.assert(
      fc.property(fc.array(unknownElement, { minLength: 1, maxLength: 4 }), (elements) => {
        const bytes = encodeRawAttributes(elements);
        const decoded = expressionListCodec.decode(bytes, 0, 'expressions');
        expect(decoded.every((e) => e.type === 'opaque')).toBe(true);
        expect(encodeList(decoded)).toEqual(bytes);
      }),
      { numRuns: RUNS },
    );
  });

  it('known and unknown expressions with any element layout: decode → encode is byte-exact', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(knownElement, unknownElement), { minLength: 1, maxLength: 4 }), (elements) => {
        const bytes = encodeRawAttributes(elements);
        const decoded = expressionListCodec.decode(bytes, 0, 'expressions');
        expect(encodeList(decoded)).toEqual(bytes);
      }),
      { numRuns: RUNS },
    );
  });
});
