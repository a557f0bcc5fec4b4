import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineAttributeSet } from '../../src/netlink/attribute-set.js';
import { u16, u32 } from '../../src/netlink/fields.js';
import { DecodeError } from '../../src/netlink/errors.js';
import { decodeRawAttributes, encodeRawAttributes, type RawAttribute } from '../../src/netlink/raw-attributes.js';
import { decodeDoneBody, decodeErrorBody, extackAttributes } from '../../src/netlink/error-message.js';
import { parseDatagram } from '../../src/netlink/message.js';
import { Writer } from '../../src/netlink/writer.js';
import { mutate, sampleSpecs } from '../helpers/sample-set.js';
import { RUNS, arbitraryOf, unknownAttributes } from '../helpers/arbitrary.js';

const rawAttribute: fc.Arbitrary<RawAttribute> = fc.record({
  type: fc.integer({ min: 0, max: 0x3fff }),
  nested: fc.boolean(),
  netByteOrder: fc.boolean(),
  value: fc.uint8Array({ maxLength: 64 }),
});

const sample = defineAttributeSet('sample', sampleSpecs);

const encodeSet = <V>(set: { encode(w: Writer, v: V, p: string): void }, v: V): Uint8Array => {
  const w = new Writer();
  set.encode(w, v, '');
  return w.finish().slice();
};

/** Run `decode` and accept only a value or a DecodeError. */
function onlyDecodeErrors(decode: () => unknown): void {
  try {
    decode();
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
  }
}


describe('raw attributes (property)', () => {
  it('round-trip bit for bit', () => {
    fc.assert(
      fc.property(fc.array(rawAttribute, { maxLength: 12 }), (attrs) => {
        const bytes = encodeRawAttributes(attrs);
        const back = decodeRawAttributes(bytes);
        expect(back).toEqual(attrs);
        expect(encodeRawAttributes(back)).toEqual(bytes);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('typed attribute sets (property)', () => {
  it('decode(encode(x)) equals x, unknown attributes included', () => {
    fc.assert(
      fc.property(arbitraryOf(sample), (value) => {
        const bytes = encodeSet(sample, value);
        const decoded = sample.decode(bytes, 0, '');
        expect(decoded).toEqual(value);
        // And the decoded value re-encodes to the same bytes (wire order remembered).
        expect(encodeSet(sample, decoded)).toEqual(bytes);
      }),
      { numRuns: RUNS },
    );
  });

  it('unknown attributes survive decode → encode next to known ones', () => {
    const known = new Set(Object.values(sample.specs).map((s) => s.type));
    fc.assert(
      fc.property(unknownAttributes(known), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (unknown, a32) => {
        const bytes = encodeSet(sample, { a32, unknown });
        const decoded = sample.decode(bytes, 0, '');
        expect(decoded.unknown).toEqual(unknown);
        expect(encodeSet(sample, decoded)).toEqual(bytes);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('decoders on arbitrary and mutated bytes only ever throw DecodeError', () => {
  const decoders: Array<[string, (b: Uint8Array) => unknown]> = [
    ['datagram', (b) => parseDatagram(b)],
    ['raw attributes', (b) => decodeRawAttributes(b)],
    ['attribute set', (b) => sample.decode(b, 0, '')],
    ['extack', (b) => extackAttributes.decode(b, 0, '')],
    ['error body (capped)', (b) => decodeErrorBody(b, 0x300)],
    ['error body (uncapped)', (b) => decodeErrorBody(b, 0x200)],
    ['done body', (b) => decodeDoneBody(b, 0x200)],
  ];
  for (const [name, decode] of decoders) {
    it(`${name}: arbitrary bytes`, () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), (b) => onlyDecodeErrors(() => decode(b))), { numRuns: RUNS });
    });
  }
  it('attribute set: mutated valid encodings', () => {
    fc.assert(
      fc.property(arbitraryOf(sample).chain((v) => mutate(encodeSet(sample, v))), (b) => onlyDecodeErrors(() => sample.decode(b, 0, ''))),
      { numRuns: RUNS },
    );
  });
  it('datagram of messages: mutated valid framing', () => {
    const msg = (n: number) => {
      const w = new Writer();
      w.u32(16 + n);
      w.u16(16);
      w.u16(2);
      w.u32(1);
      w.u32(0);
      w.zeros(n);
      w.pad();
      return w.finish().slice();
    };
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 4 }).chain((sizes) => mutate(Uint8Array.from(sizes.flatMap((n) => [...msg(n)])))), (b) =>
        onlyDecodeErrors(() => parseDatagram(b)),
      ),
      { numRuns: RUNS },
    );
  });
});
