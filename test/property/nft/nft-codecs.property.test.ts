/**
 * Property tests of the nf_tables object codecs: every message body round-trips
 * (decode(encode(x)) equals x, unknown attributes included), and any bytes given to any
 * nf_tables message decoder either decode or raise DecodeError — nothing else, never a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttributeSet, AttributeSpecs } from '../../../src/netlink/attribute-set.js';
import { DecodeError } from '../../../src/netlink/errors.js';
import type { FieldCodec } from '../../../src/netlink/field.js';
import type { RawAttribute } from '../../../src/netlink/raw-attributes.js';
import { Writer } from '../../../src/netlink/writer.js';
import { chainAttributes } from '../../../src/nft/chain.js';
import { NftMsg, NftnlUdataComment, NftnlUdataRule, NftnlUdataSet, NftnlUdataSetElem, NftObjectType } from '../../../src/nft/constants.js';
import { expressionCodec, expressionListCodec } from '../../../src/nft/expression-codecs.js';
import { dataValueCodec } from '../../../src/nft/expressions/data.js';
import { flowtableAttributes } from '../../../src/nft/flowtable.js';
import { genAttributes } from '../../../src/nft/gen.js';
import { nfgenmsg, nftMessageType } from '../../../src/nft/nfgenmsg.js';
import { objectAttributes, objectDataAttributes } from '../../../src/nft/object.js';
import { netfilterMessageCodec } from '../../../src/nft/protocol.js';
import { ruleAttributes } from '../../../src/nft/rule.js';
import { setElementAttributes, setElementListCodec, setElementMessageAttributes } from '../../../src/nft/set-element.js';
import { setAttributes } from '../../../src/nft/set.js';
import { tableAttributes } from '../../../src/nft/table.js';
import { commentUdata, ruleUdata, setElemUdata, setUdata, type UdataKind } from '../../../src/nft/udata.js';
import { batchAttributes } from '../../../src/nft/batch-delimiters.js';
import { arbitraryFor, RUNS, unknownAttributes } from '../../helpers/arbitrary.js';

const text = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));
const rawAttribute: fc.Arbitrary<RawAttribute> = fc.record({
  type: fc.integer({ min: 1, max: 0x3fff }),
  nested: fc.boolean(),
  netByteOrder: fc.boolean(),
  value: fc.uint8Array({ maxLength: 16 }),
});

function udataArb(types: Record<string, number>, kinds: Partial<Record<string, UdataKind>>) {
  const known = new Set(Object.values(types));
  const named = Object.keys(types).map((name) =>
    kinds[name] === 'string' ? fc.record({ type: fc.constant(name), value: text }) : kinds[name] === 'u32' ? fc.record({ type: fc.constant(name), value: fc.nat({ max: 0xffffffff }) }) : fc.record({ type: fc.constant(name), value: fc.uint8Array({ maxLength: 20 }) }),
  );
  const unknown = fc.record({ type: fc.integer({ min: 0, max: 255 }).filter((t) => !known.has(t)), value: fc.uint8Array({ maxLength: 20 }) });
  return fc.tuple(fc.array(fc.oneof(...named, unknown), { maxLength: 4 }), fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined })).map(([entries, tail]) =>
    tail === undefined ? entries : [...entries, { raw: Uint8Array.of(tail) }],
  );
}

/** Opaque expressions under names no module models, so they stay opaque after decoding. */
const opaqueExpression = fc.record({ type: fc.constant('opaque' as const), name: fc.stringMatching(/^zz[a-z]{1,8}$/), data: fc.array(rawAttribute, { maxLength: 3 }) });

const custom = new Map<FieldCodec<any>, fc.Arbitrary<unknown>>([
  [ruleUdata, udataArb(NftnlUdataRule, { comment: 'string', 'ebtables-policy': 'u32' })],
  [commentUdata, udataArb(NftnlUdataComment, { comment: 'string' })],
  [setUdata, udataArb(NftnlUdataSet, { 'key-byteorder': 'u32', 'data-byteorder': 'u32', 'merge-elements': 'u32', 'data-interval': 'u32', comment: 'string' })],
  [setElemUdata, udataArb(NftnlUdataSetElem, { comment: 'string', flags: 'u32' })],
  [expressionListCodec, fc.array(opaqueExpression, { maxLength: 3 })],
  [expressionCodec, opaqueExpression],
  [dataValueCodec, fc.uint8Array({ minLength: 1, maxLength: 64 })],
]);

/** An arbitrary for any codec of this module: attribute sets recursively, custom codecs by table. */
function arb(codec: FieldCodec<any>, depth = 0): fc.Arbitrary<unknown> {
  const special = custom.get(codec);
  if (special) return special;
  if (codec === setElementListCodec) return fc.array(arb(setElementAttributes, depth + 1), { maxLength: 3 });
  if (codec === objectAttributes) return objectArb;
  const shape = codec.shape;
  if (shape?.t !== 'set') return arbitraryFor(shape);
  const set = codec as AttributeSet<AttributeSpecs>;
  const rec: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, spec] of Object.entries(set.specs)) {
    if (depth >= 4 && spec.codec.shape?.t === 'set') continue;
    const one = arb(spec.codec, depth + 1);
    rec[key] = spec.repeated ? fc.array(one, { minLength: 1, maxLength: 3 }) : one;
  }
  const known = new Set(Object.values(set.specs).map((s) => s.type));
  return fc.tuple(fc.record(rec, { requiredKeys: [] }), fc.option(unknownAttributes(known), { nil: undefined })).map(([v, unknown]) => (unknown ? { ...v, unknown } : v));
}

const modelled = Object.keys(objectDataAttributes) as (keyof typeof objectDataAttributes)[];
const objectArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...modelled).chain((type) => fc.record({ table: text, name: text, type: fc.constant(type), data: arb(objectDataAttributes[type]) }, { requiredKeys: ['type'] })),
  fc.record({ table: text, type: fc.constantFrom('tunnel', 'ct timeout', 99), data: fc.array(rawAttribute, { maxLength: 3 }) }, { requiredKeys: ['type'] }),
);

function roundTrip(codec: FieldCodec<any>, value: unknown): unknown {
  const w = new Writer();
  codec.encode(w, value, '');
  return codec.decode(w.finish().slice(), 0, '');
}

const bodies: [string, FieldCodec<any>][] = [
  ['table', tableAttributes],
  ['chain', chainAttributes],
  ['rule', ruleAttributes],
  ['set', setAttributes],
  ['set elements', setElementMessageAttributes],
  ['object', objectAttributes],
  ['generation', genAttributes],
  ['flowtable', flowtableAttributes],
  ['batch delimiter', batchAttributes],
];

describe('round trips', () => {
  it.each(bodies)('%s: decode(encode(x)) equals x, unknown attributes included', (_name, codec) => {
    fc.assert(fc.property(arb(codec), (value) => {
      expect(roundTrip(codec, value)).toEqual(value);
    }), { numRuns: RUNS });
  });
});

describe('decoders never do anything but decode or raise DecodeError', () => {
  const types = Object.values(NftMsg).map(nftMessageType);
  it('arbitrary bytes after a valid nfgenmsg, for every message type', () => {
    fc.assert(fc.property(fc.constantFrom(...types), fc.uint8Array({ maxLength: 96 }), (type, tail) => {
      const payload = new Uint8Array(nfgenmsg.size + tail.length);
      payload.set([2, 0, 0, 0]);
      payload.set(tail, nfgenmsg.size);
      try {
        netfilterMessageCodec(type)!.decode(payload, 0, 16);
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError);
      }
    }), { numRuns: RUNS });
  });

  it('mutated valid messages', () => {
    const value = { table: 'nat', chain: 'post', handle: 7n, expressions: [{ type: 'counter', bytes: 1n, packets: 2n }], userdata: [{ type: 'comment', value: 'x' }] };
    const w = new Writer();
    nfgenmsg.encode(w, { family: 2, version: 0, resId: 0 }, '');
    ruleAttributes.encode(w, value as never, '');
    const base = w.finish().slice();
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.nat({ max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat({ max: base.length }), (edits, cut) => {
      const bytes = base.slice(0, Math.max(cut, nfgenmsg.size));
      for (const [at, byte] of edits) if (at < bytes.length) bytes[at] = byte;
      try {
        netfilterMessageCodec(nftMessageType(NftMsg.NFT_MSG_NEWRULE))!.decode(bytes, 0, 16);
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError);
      }
    }), { numRuns: RUNS });
  });
});

it('every modelled object type has a type number', () => {
  for (const t of modelled) expect(NftObjectType[t]).toBeGreaterThan(0);
});
