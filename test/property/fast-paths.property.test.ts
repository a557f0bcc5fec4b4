/**
 * The core's fast paths hold to the general ones: the compiled decoders (decode-plan.ts) give
 * the general decoder's values and errors, the compiled and optimistic encoders
 * (encode-plan.ts, attribute-set.ts) its bytes and errors whether or not spans are recorded,
 * and nests that came without NLA_F_NESTED (the kernel's dumps) — all of them, or some — are
 * written back exactly as they came (nesting-style.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineAttributeSet, lazy, type AttributeSet, type AttributeSpecs } from '../../src/netlink/attribute-set.js';
import { NLA_F_NESTED, NLA_HDRLEN, NLA_TYPE_MASK } from '../../src/netlink/constants.js';
import { DecodeError } from '../../src/netlink/errors.js';
import type { FieldCodec } from '../../src/netlink/field.js';
import { binary, cstring, flag, u32 } from '../../src/netlink/fields.js';
import { decodeKernelText, encodeKernelText, kernelTextByteLength } from '../../src/netlink/text.js';
import { COMPILE_AFTER_USES } from '../../src/netlink/tier-up.js';
import { Writer } from '../../src/netlink/writer.js';
import { inner, mutate, sampleSpecs } from '../helpers/sample-set.js';
import { RUNS, arbitraryOf } from '../helpers/arbitrary.js';

const leaf = defineAttributeSet('leaf', { id: { type: 1, codec: u32 }, label: { type: 2, codec: cstring } });
const sample = defineAttributeSet('sample', { ...sampleSpecs, leaves: { type: 17, codec: leaf, repeated: true } });
type Sample = Parameters<typeof sample.encode>[1];

function encode(set: AttributeSet<AttributeSpecs>, value: unknown, options: { spans?: boolean; flagged?: boolean } = {}): Uint8Array {
  const w = new Writer(64, 0, { spans: options.spans ?? true });
  w.nestingFlagged = options.flagged ?? true;
  set.encode(w, value as never, '');
  return w.finish().slice();
}
const anySet = sample as unknown as AttributeSet<AttributeSpecs>;

/** What a decoder did: its value, or its DecodeError's path and offset. */
function outcome(decode: () => unknown): { value: unknown } | { path: string; offset: number } {
  try {
    return { value: decode() };
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    return { path: err.path, offset: err.offset };
  }
}

/** Header offsets of the nested attributes of set-typed attributes, recursively. */
function nestOffsets(set: AttributeSet<AttributeSpecs>, bytes: Uint8Array, from = 0, to = bytes.length): number[] {
  const out: number[] = [];
  const byType = new Map(Object.values(set.specs).map((s) => [s.type, s.codec as FieldCodec<unknown>]));
  for (let pos = from; pos + NLA_HDRLEN <= to; ) {
    const len = bytes[pos]! | (bytes[pos + 1]! << 8);
    let codec = byType.get((bytes[pos + 2]! | (bytes[pos + 3]! << 8)) & NLA_TYPE_MASK);
    if (codec && !('specs' in codec) && codec.shape?.t === 'set') codec = inner as FieldCodec<unknown>; // the lazy self-reference
    if (codec && 'specs' in codec) {
      out.push(pos);
      out.push(...nestOffsets(codec as AttributeSet<AttributeSpecs>, bytes, pos + NLA_HDRLEN, pos + len));
    }
    pos += (len + 3) & ~3;
  }
  return out;
}


describe('compiled decoders agree with the general decoder (property)', () => {
  it('on generated values, flagged or not', () => {
    fc.assert(
      fc.property(arbitraryOf(sample), fc.boolean(), (value, flagged) => {
        const bytes = encode(anySet, value, { flagged });
        expect(sample.decode(bytes, 0, '')).toEqual(sample.decodeExactly(bytes, 0, ''));
      }),
      { numRuns: RUNS },
    );
  });

  it('on mutated bytes: the same value or the same DecodeError', () => {
    fc.assert(
      fc.property(arbitraryOf(sample).chain((v) => mutate(encode(anySet, v))), (bytes) => {
        expect(outcome(() => sample.decode(bytes, 8, ''))).toEqual(outcome(() => sample.decodeExactly(bytes, 8, '')));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('nests with and without NLA_F_NESTED (property)', () => {
  it('decode to the same value, and each form is written back as it came', () => {
    fc.assert(
      fc.property(arbitraryOf(sample), (value) => {
        const flagged = encode(anySet, value);
        const unflagged = encode(anySet, value, { flagged: false });
        const fromFlagged = sample.decode(flagged, 0, '');
        const fromUnflagged = sample.decode(unflagged, 0, '');
        expect(fromUnflagged).toEqual(fromFlagged);
        expect(encode(anySet, fromFlagged)).toEqual(flagged);
        expect(encode(anySet, fromUnflagged)).toEqual(unflagged);
        // Also on a writer that records no spans (the optimistic encoders throughout).
        expect(encode(anySet, fromUnflagged, { spans: false })).toEqual(unflagged);
      }),
      { numRuns: RUNS },
    );
  });

  it('a mix of both forms is written back exactly too', () => {
    const mixed = arbitraryOf(sample)
      .map((value) => encode(anySet, value, { flagged: false }))
      .chain((bytes) => fc.tuple(fc.constant(bytes), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 })))
      .map(([bytes, pick]) => {
        const out = bytes.slice();
        nestOffsets(anySet, out).forEach((at, i) => {
          if (pick[i % pick.length]) out[at + 3]! |= NLA_F_NESTED >> 8;
        });
        return out;
      });
    fc.assert(
      fc.property(mixed, (bytes) => {
        const value = sample.decode(bytes, 0, '');
        expect(value).toEqual(sample.decodeExactly(bytes, 0, ''));
        expect(encode(anySet, value)).toEqual(bytes);
        expect(encode(anySet, value, { spans: false })).toEqual(bytes);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the style a decoded value keeps does not depend on which decoder read it (property)', () => {
  /** The value's `nest`, its `self`, and so on down: the values a caller can take out of it. */
  function nestsIn(value: Sample): unknown[] {
    const out: unknown[] = [];
    for (let v = value.nest as { self?: unknown } | undefined; v !== undefined; v = v.self as { self?: unknown } | undefined) out.push(v);
    return out;
  }

  it('a nest taken out of the value is written the same way after the compiled reader and the general decoder', () => {
    let deep = 0;
    fc.assert(
      fc.property(arbitraryOf(sample), fc.boolean(), (value, flagged) => {
        const bytes = encode(anySet, value, { flagged });
        // The compiled reader runs once the set has been decoded a few times (tier-up.ts).
        for (let i = 0; i < COMPILE_AFTER_USES; i++) sample.decode(bytes, 0, '');
        const compiled = sample.decode(bytes, 0, '');
        const general = sample.decodeExactly(bytes, 0, '');
        expect(encode(anySet, compiled)).toEqual(bytes);
        expect(encode(anySet, general)).toEqual(bytes);
        const fromCompiled = nestsIn(compiled);
        const fromGeneral = nestsIn(general);
        expect(fromCompiled.length).toBe(fromGeneral.length);
        fromCompiled.forEach((nest, i) => expect(encode(inner as never, nest)).toEqual(encode(inner as never, fromGeneral[i])));
        if (!flagged && fromGeneral.length > 1) deep++;
      }),
      { numRuns: RUNS },
    );
    // Unflagged nests inside a nest are the case the two decoders marked differently.
    expect(deep).toBeGreaterThan(RUNS / 50);
  });
});

describe('compiled and optimistic encoders agree with the exact one (property)', () => {
  it('the same bytes with and without spans, in any key order', () => {
    fc.assert(
      fc.property(arbitraryOf(sample), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(encode(anySet, value, { spans: false })).toEqual(encode(anySet, value));
        expect(encode(anySet, reversed, { spans: false })).toEqual(encode(anySet, reversed));
      }),
      { numRuns: RUNS },
    );
  });

  const bad: Array<[string, (v: Sample) => unknown]> = [
    ['an integer out of range', (v) => ({ ...v, a16: 70000 })],
    ['a nested integer out of range', (v) => ({ ...v, nest: { ...v.nest, self: { port: -1 } } })],
    ['a bad address deep down', (v) => ({ ...v, nest: { self: { addr: '1.2.3' } } })],
    ['an unknown key', (v) => ({ ...v, mtuu: 1 })],
    ['an unknown nested key', (v) => ({ ...v, leaves: [{ id: 1 }, { id: 2, nope: true }] })],
    ['a repeated attribute that is not an array', (v) => ({ ...v, many: 'one' })],
    ['a struct field missing', (v) => ({ ...v, hdr: { family: 1 } })],
    ['an unknown enum name', (v) => ({ ...v, mode: 'three' })],
    ['an unknown flag name', (v) => ({ ...v, bits: ['up', 'sideways'] })],
  ];
  for (const [what, spoil] of bad) {
    it(`the same error, naming the same attribute, for ${what}`, () => {
      fc.assert(
        fc.property(arbitraryOf(sample), (value) => {
          const spoilt = spoil(value);
          const error = (spans: boolean): unknown => {
            try {
              encode(anySet, spoilt, { spans });
            } catch (err) {
              return err;
            }
            return undefined;
          };
          const exact = error(true);
          expect(exact).toBeInstanceOf(Error);
          const optimistic = error(false) as Error;
          expect(optimistic.constructor).toBe((exact as Error).constructor);
          expect(optimistic.message).toBe((exact as Error).message);
        }),
        { numRuns: Math.ceil(RUNS / 10) },
      );
    });
  }
});

describe('kernel text length without the bytes (property)', () => {
  it('equals the length of the encoded text, escaped bytes and lone surrogates included', () => {
    const units = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 20 }).map((codes) => String.fromCharCode(...codes)),
      fc.uint8Array({ maxLength: 20 }).map((bytes) => decodeKernelText(bytes)),
    );
    fc.assert(
      fc.property(units, (text) => {
        expect(kernelTextByteLength(text)).toBe(encodeKernelText(text).length);
      }),
      { numRuns: RUNS },
    );
  });
});
