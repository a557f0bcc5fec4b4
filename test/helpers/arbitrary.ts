/**
 * fast-check arbitraries derived from codec shapes, so every attribute set and struct declared
 * in src/ can be round-tripped with generated values (unknown attributes included) without
 * writing a generator by hand.
 */
import fc from 'fast-check';
import type { CodecShape, FieldCodec } from '../../src/netlink/field.js';
import { numberToFlags } from '../../src/netlink/fields.js';
import { formatIp, formatLinkAddress } from '../../src/netlink/addresses.js';
import type { RawAttribute } from '../../src/netlink/raw-attributes.js';

const text = fc.string({ unit: 'binary', maxLength: 24 }).filter((s) => !s.includes('\0'));

function intArb(shape: { min: number; max: number }): fc.Arbitrary<number> {
  return fc.integer({ min: shape.min, max: shape.max });
}

function structField(kind: unknown): fc.Arbitrary<unknown> | undefined {
  if (typeof kind === 'object' && kind !== null) {
    if ('pad' in kind) return undefined;
    return fc.uint8Array({ minLength: (kind as { bytes: number }).bytes, maxLength: (kind as { bytes: number }).bytes });
  }
  const k = String(kind);
  if (k.endsWith('64') || k === 'u64be') return k.startsWith('s') ? fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) : fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  const bits = Number(k.replace(/\D/g, ''));
  return k.startsWith('s') ? fc.integer({ min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 }) : fc.integer({ min: 0, max: 2 ** bits - 1 });
}

/** Unknown attributes whose types the set does not declare. */
export function unknownAttributes(known: ReadonlySet<number>): fc.Arbitrary<RawAttribute[]> {
  const attr = fc.record({
    type: fc.integer({ min: 0, max: 0x3fff }).filter((t) => !known.has(t)),
    nested: fc.boolean(),
    netByteOrder: fc.boolean(),
    value: fc.uint8Array({ maxLength: 24 }),
  });
  return fc.array(attr, { minLength: 1, maxLength: 3 });
}

export function arbitraryFor(shape: CodecShape | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!shape) throw new Error('codec has no shape: give it one or a custom arbitrary');
  switch (shape.t) {
    case 'int': return intArb(shape);
    case 'bigint': return shape.signed ? fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) : fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    case 'flag': return fc.constant(true);
    case 'bytes': return fc.uint8Array({ maxLength: 32, ...(shape.length !== undefined ? { minLength: shape.length, maxLength: shape.length } : {}) });
    case 'string': return text;
    case 'ip': return fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 16, maxLength: 16 })).map(formatIp);
    case 'lladdr': return fc.uint8Array({ minLength: 1, maxLength: 20 }).map(formatLinkAddress);
    case 'enum': {
      const known = new Set(Object.values(shape.values));
      const unknown = arbitraryFor(shape.base, depth).filter((n) => !known.has(n as number));
      return fc.oneof(fc.constantFrom(...Object.keys(shape.values)), unknown);
    }
    case 'flags': return (arbitraryFor(shape.base, depth) as fc.Arbitrary<number>).map((n) => numberToFlags(n, shape.values));
    case 'struct': {
      const rec: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, kind] of Object.entries(shape.fields)) {
        const a = structField(kind);
        if (a) rec[k] = a;
      }
      const base = fc.record(rec);
      if (!shape.growable) return base;
      return fc.tuple(base, fc.option(fc.uint8Array({ minLength: 1, maxLength: 16 }), { nil: undefined })).map(([v, tail]) => (tail ? { ...v, tail } : v));
    }
    case 'set': {
      const rec: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, spec] of Object.entries(shape.specs)) {
        const s = spec.codec.shape;
        if (s?.t === 'set' && depth >= 3) continue;
        const one = arbitraryFor(s, depth + 1);
        rec[k] = spec.repeated ? fc.array(one, { minLength: 1, maxLength: 3 }) : one;
      }
      const known = new Set(Object.values(shape.specs).map((s) => s.type));
      return fc.tuple(fc.record(rec, { requiredKeys: [] }), fc.option(unknownAttributes(known), { nil: undefined })).map(([v, unknown]) =>
        unknown ? { ...v, unknown } : v,
      );
    }
  }
}

export function arbitraryOf<T>(codec: FieldCodec<T>): fc.Arbitrary<T> {
  return arbitraryFor(codec.shape) as fc.Arbitrary<T>;
}

/** Number of runs for property tests (thousands in CI; override with NETNS_TS_PROPERTY_RUNS). */
export const RUNS = Number(process.env.NETNS_TS_PROPERTY_RUNS ?? 2000);
