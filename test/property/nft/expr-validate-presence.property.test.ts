/**
 * Every expression definition's `validate` looks only at which attributes are present, never at
 * their values (ExpressionDefinition.validate): decoding keeps its verdict per set of present
 * attributes (expression-layout.ts), so a check on values there would be skipped for every
 * expression decoded after the first with the same attributes. And with verdicts kept, a
 * decoded expression that is not valid as built still re-encodes to its own bytes, before and
 * after valid ones of its kind.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Writer } from '../../../src/netlink/writer.js';
import { expressionDefinitions, expressionListCodec, type ExpressionDefinition } from '../../../src/nft/expressions/index.js';
import { RUNS } from '../../helpers/arbitrary.js';

/** Anything an attribute could hold, and more: a check on values gives different verdicts for these. */
const anyValue = fc.oneof(
  fc.integer(),
  fc.constant(0),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt(),
  fc.uint8Array({ maxLength: 20 }),
  fc.record({ value: fc.uint8Array({ maxLength: 20 }) }),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
);

describe('a definition validates by the attributes present only (property)', () => {
  for (const d of expressionDefinitions()) {
    const definition = d as unknown as ExpressionDefinition;
    if (!definition.validate) continue;
    const keys = Object.keys(definition.data.specs);
    it(`${definition.name}`, () => {
      fc.assert(
        fc.property(fc.subarray(keys), fc.array(anyValue, { minLength: keys.length, maxLength: keys.length }), fc.array(anyValue, { minLength: keys.length, maxLength: keys.length }), (present, first, second) => {
          const a: Record<string, unknown> = { type: definition.name };
          const b: Record<string, unknown> = { type: definition.name };
          for (const key of present) {
            a[key] = first[keys.indexOf(key)];
            b[key] = second[keys.indexOf(key)];
          }
          expect(definition.validate!(b as never)).toBe(definition.validate!(a as never));
        }),
        { numRuns: RUNS },
      );
    });
  }
});

// <linux/netfilter/nf_tables.h>
const NFTA_LIST_ELEM = 1;
const [NFTA_EXPR_NAME, NFTA_EXPR_DATA] = [1, 2];
const [NFTA_CMP_SREG, NFTA_CMP_OP, NFTA_CMP_DATA] = [1, 2, 3];
const NFTA_DATA_VALUE = 1;
const NFT_CMP_EQ = 0;

/** One attribute: header, payload, padding (nests unflagged, as the kernel dumps them). */
function nla(type: number, ...payload: Uint8Array[]): Uint8Array {
  const length = 4 + payload.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array((length + 3) & ~3);
  out[0] = length & 0xff;
  out[1] = length >> 8;
  out[2] = type;
  let at = 4;
  for (const p of payload) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u32be(n: number): Uint8Array {
  return new Uint8Array([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

/** A cmp element with only the attributes given. */
function cmpElement(attributes: { sreg?: number; op?: number; value?: Uint8Array }): Uint8Array {
  const data: Uint8Array[] = [];
  if (attributes.sreg !== undefined) data.push(nla(NFTA_CMP_SREG, u32be(attributes.sreg)));
  if (attributes.op !== undefined) data.push(nla(NFTA_CMP_OP, u32be(attributes.op)));
  if (attributes.value !== undefined) data.push(nla(NFTA_CMP_DATA, nla(NFTA_DATA_VALUE, attributes.value)));
  return nla(NFTA_LIST_ELEM, nla(NFTA_EXPR_NAME, new TextEncoder().encode('cmp\0')), nla(NFTA_EXPR_DATA, ...data));
}

it('decoded expressions not valid as built re-encode to their own bytes, among valid ones of their kind', () => {
  const valid = { sreg: 1, op: NFT_CMP_EQ, value: new Uint8Array([6]) };
  const noOp = { sreg: 1, value: new Uint8Array([6]) };
  const noData = { sreg: 2, op: NFT_CMP_EQ };
  // Valid first, then the invalid ones twice each (their verdicts asked, then kept), then valid again.
  const order = [valid, noOp, noData, noOp, noData, valid];
  const bytes = Buffer.concat(order.map(cmpElement));
  const decoded = expressionListCodec.decode(new Uint8Array(bytes), 0, 'expressions');
  expect(decoded.map((e) => Object.keys(e).sort().join(','))).toEqual([
    'data,op,sreg,type',
    'data,sreg,type',
    'op,sreg,type',
    'data,sreg,type',
    'op,sreg,type',
    'data,op,sreg,type',
  ]);
  const again = new Writer(256, 0, { spans: false });
  expressionListCodec.encode(again, decoded, 'expressions');
  expect(Buffer.from(again.finish()).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
});
