/**
 * The direct writers (src/netlink/direct-write.ts) of every expression's attribute set: when
 * one writes a value, it writes exactly what the set's general encoder writes, within the room
 * it asked for, padding zeroed; when the general encoder refuses a value, the direct writer
 * declines it (-1). Values come valid from the declarations, or spoiled in one attribute.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttributeSpecs } from '../../../src/netlink/attribute-set.js';
import { directWriterOf, type DirectWriter } from '../../../src/netlink/direct-write.js';
import type { FieldCodec } from '../../../src/netlink/field.js';
import { Writer } from '../../../src/netlink/writer.js';
import * as natMatches from '../../../src/api/nat/matches.js';
import { expressionDefinition, expressionDefinitions, type ExpressionDefinition } from '../../../src/nft/expressions/index.js';
import { arbitraryFor, RUNS } from '../../helpers/arbitrary.js';
import { anyModelled } from './expr-arbitraries.js';

/** Values no attribute codec accepts in some attribute: wrong types, ranges, names and sizes. */
const junk = fc.constantFrom<unknown>(
  null, -1, 2 ** 32, 1.5, Number.NaN, 'no-such-name', 'nul\0inside', true, [], ['no-such-flag'], [2 ** 33], [-1], [0.5],
  new Uint8Array(0), new Uint8Array(65), new Uint8Array(3), {}, { value: 1 }, { value: new Uint8Array(0) }, { verdict: { code: 'nope' } }, 10n,
  -1n, 2n ** 64n, 2n ** 63n, -(2n ** 63n) - 1n, 'x'.repeat(300), 'ascii', '',
);

/**
 * `value` as names usually are: without unknown attributes at any depth, strings in ASCII
 * (direct writers leave the others to the general path).
 */
function tamed(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/[^\x01-\x7f]/gu, '');
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(tamed);
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'unknown').map(([k, v]) => [k, tamed(v)]));
}

/**
 * A definition with attribute values, mostly tamed; sometimes one of them
 * (and then perhaps a key no set has) replaced by junk.
 */
const values = fc
  .tuple(anyModelled, fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: fc.tuple(fc.nat(), junk), weight: 1 }), fc.boolean(), fc.nat(3))
  .map(([{ definition, attributes }, spoil, stranger, keepUnknown]) => {
    const value = (keepUnknown === 0 ? { ...attributes } : tamed(attributes)) as Record<string, unknown>;
    if (spoil) {
      const keys = Object.keys(definition.data.specs);
      value[keys[spoil[0] % keys.length]!] = spoil[1];
    }
    if (stranger && spoil) value.notAnAttribute = 1;
    return { definition, value };
  });

/** The set's general encoder on a fresh writer: its bytes, or undefined when it refuses. */
function general(definition: ExpressionDefinition, value: Record<string, unknown>, declarationOrder: boolean): Uint8Array | undefined {
  const w = new Writer(64, 0, { spans: false });
  try {
    if (declarationOrder) definition.data.encodeWithout(w, { type: definition.name, ...value }, '', 'type', true);
    else definition.data.encode(w, value, '');
  } catch {
    return undefined;
  }
  return w.finish().slice();
}

const GARBAGE = 0xa5;
const OFFSET = 8;

/** The direct writer's bytes (room exactly as it asks, over garbage), or undefined when it declines. */
function direct(writer: DirectWriter, value: unknown): Uint8Array | undefined {
  const buf = new Uint8Array(OFFSET + writer.max).fill(GARBAGE);
  const n = writer.write(buf, OFFSET, value);
  if (n < 0) return undefined;
  expect(n).toBeLessThanOrEqual(writer.max);
  return buf.slice(OFFSET, OFFSET + n);
}

describe('direct writers of the NAT helpers\' expressions', () => {
  it('write every expression of a DNAT and a masquerade rule (the path large batches take)', () => {
    const rules = [
      [...natMatches.matchProtocol('tcp'), ...natMatches.matchPort('dport', [8080, 8090]), ...natMatches.dnatTo(4, Uint8Array.of(10, 0, 0, 2), [80, 80])],
      [...natMatches.matchAddress('saddr', { family: 4, address: '10.0.0.0', bytes: Uint8Array.of(10, 0, 0, 0), prefixLength: 24 }), ...natMatches.matchOutInterface('eth0', 'neq')],
    ];
    for (const expression of rules.flat()) {
      if (expression.type === 'masq' || expression.type === 'opaque') continue;
      const definition = expressionDefinition(expression.type)!;
      const writer = definition.data.directWriters('type').inDeclarationOrder;
      const { type: _, ...attributes } = expression as Record<string, unknown>;
      const written = direct(writer, expression as Record<string, unknown>);
      expect(written, `${expression.type} declined`).toBeDefined();
      expect(written).toEqual(general(definition, attributes, true));
    }
  });
});

describe('direct writers of expression attribute sets (property)', () => {
  for (const order of ['declaration', 'value'] as const) {
    it(`write what the general encoder writes, in ${order} order, and decline what it refuses`, () => {
      const seen = { written: 0, declined: 0, refused: 0 };
      fc.assert(
        fc.property(values, ({ definition, value }) => {
          const writers = definition.data.directWriters('type');
          const writer = order === 'declaration' ? writers.inDeclarationOrder : definition.data.directWriters('unknown').inValueOrder;
          const input = order === 'declaration' ? { type: definition.name, ...value } : value;
          const expected = general(definition, value, order === 'declaration');
          const got = direct(writer, input);
          if (got !== undefined) {
            seen.written++;
            expect(got).toEqual(expected);
          } else if (expected === undefined) seen.refused++;
          else seen.declined++;
        }),
        { numRuns: RUNS },
      );
      // Each branch must be reached, or the property says nothing about it.
      expect(seen.written).toBeGreaterThan(RUNS / 20);
      expect(seen.refused).toBeGreaterThan(RUNS / 50);
    });
  }
});

/** Every codec the expression sets use, nested sets' codecs included, once each. */
function leafCodecs(): Array<[string, FieldCodec<unknown>]> {
  const out = new Map<FieldCodec<unknown>, string>();
  const visit = (name: string, specs: AttributeSpecs): void => {
    for (const [key, spec] of Object.entries(specs)) {
      const codec = spec.codec as FieldCodec<unknown>;
      const shape = codec.shape;
      if (shape?.t === 'set') visit(`${name}.${key}`, shape.specs);
      else if (!out.has(codec) && directWriterOf(codec)) out.set(codec, `${name}.${key} (${codec.kind})`);
    }
  };
  for (const d of expressionDefinitions()) visit(d.name, d.data.specs);
  return [...out].map(([codec, name]) => [name, codec]);
}

describe('direct writers of the attribute codecs (property)', () => {
  it.each(leafCodecs())('%s: writes what validate and encode write, declines what they refuse', (_, codec) => {
    const writer = directWriterOf(codec)!;
    let written = 0;
    fc.assert(
      fc.property(fc.oneof(arbitraryFor(codec.shape!), junk), (value) => {
        const w = new Writer(16, 0, { spans: false });
        let expected: Uint8Array | undefined;
        try {
          if (codec.validate?.(value) === undefined) {
            codec.encode(w, value, '');
            expected = w.finish().slice();
          }
        } catch {
          expected = undefined;
        }
        const got = direct(writer, value);
        if (got !== undefined) {
          written++;
          expect(got).toEqual(expected);
        }
      }),
      { numRuns: Math.max(100, RUNS / 10) },
    );
    expect(written).toBeGreaterThan(0);
  });
});
