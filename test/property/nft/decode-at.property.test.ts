/**
 * Listings read each reply's attributes where they lie in their datagram (AttributeSet.decodeAt,
 * nft/reader.ts), through the compiled readers and the in-place expression list; that must give
 * what decoding the attributes alone gives: the same value, written back to the same bytes, or
 * the same DecodeError. The datagram has bytes before and after the attributes: junk, or after
 * them a well-formed attribute a rule could carry (NFTA_RULE_ID) — a reader that gives up on
 * junk falls back to the general decoder, which would hide reading past the end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttributeSet, AttributeSpecs } from '../../../src/netlink/attribute-set.js';
import { NLA_F_NESTED } from '../../../src/netlink/constants.js';
import { DecodeError } from '../../../src/netlink/errors.js';
import { chainAttributes } from '../../../src/nft/chain.js';
import type { Expression } from '../../../src/nft/expressions/index.js';
import { ruleAttributes } from '../../../src/nft/rule.js';
import { setElementMessageAttributes } from '../../../src/nft/set-element.js';
import { setAttributes } from '../../../src/nft/set.js';
import { tableAttributes } from '../../../src/nft/table.js';
import { RUNS } from '../../helpers/arbitrary.js';
import { anyModelled } from './expr-arbitraries.js';
import { tryEncode } from './try-encode.js';

const AT = 20;
/** NFTA_RULE_ID (9), u32 big-endian 7: what a reader running past the end would add to a rule. */
const RULE_ID = Uint8Array.of(8, 0, 9, 0, 0, 0, 0, 7);
const inDatagram = (body: Uint8Array): Uint8Array[] => {
  const junk = new Uint8Array(AT + body.length + 12).fill(0xa5);
  junk.set(body, AT);
  const attribute = junk.slice(0, AT + body.length + RULE_ID.length);
  attribute.set(RULE_ID, AT + body.length);
  return [junk, attribute];
};

/** The value and what it encodes back to, or the DecodeError. */
function outcome(set: AttributeSet<AttributeSpecs>, decode: () => unknown): unknown {
  try {
    const value = decode();
    return { value, bytes: tryEncode((w) => set.encode(w, value as never, '')) };
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    return { path: err.path, offset: err.offset, message: err.message };
  }
}

function same(set: AttributeSet<AttributeSpecs>, body: Uint8Array): void {
  const alone = outcome(set, () => set.decode(body, AT, ''));
  for (const datagram of inDatagram(body)) {
    expect(outcome(set, () => set.decodeAt(datagram, AT, AT + body.length, AT, ''))).toEqual(alone);
  }
}

const rules = fc.array(anyModelled, { minLength: 1, maxLength: 5 }).map((items) => ({
  table: 'filter',
  chain: 'input',
  handle: 9n,
  expressions: items.map(({ definition, attributes }) => ({ type: definition.name, ...attributes }) as Expression),
}));
const rule = ruleAttributes as unknown as AttributeSet<AttributeSpecs>;

describe('attributes decoded where they lie equal the attributes decoded alone (property)', () => {
  it('rules of modelled expressions, nested as nft sends them and as the kernel dumps them', () => {
    // Runs before and after the rule set's reader is compiled (it tiers up within the first uses).
    fc.assert(fc.property(rules, fc.boolean(), (value, flagged) => {
      const body = tryEncode((w) => ruleAttributes.encode(w, value, ''), { flagged });
      if (body) same(rule, body);
    }), { numRuns: RUNS });
  });

  it('the same rules with bytes changed: some nests flagged, others not, or anything else', () => {
    fc.assert(fc.property(rules, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 4 }), (value, edits) => {
      const body = tryEncode((w) => ruleAttributes.encode(w, value, ''), { flagged: false });
      if (!body) return;
      for (const [at, byte] of edits) {
        const i = at % body.length;
        // Half the edits set NLA_F_NESTED on an attribute type's high byte (mixed styles).
        body[i] = byte % 2 === 0 && i % 4 === 3 ? body[i]! | (NLA_F_NESTED >> 8) : byte;
      }
      same(rule, body);
    }), { numRuns: RUNS });
  });

  const sets: Array<[string, AttributeSet<AttributeSpecs>]> = [
    ['table', tableAttributes as unknown as AttributeSet<AttributeSpecs>],
    ['chain', chainAttributes as unknown as AttributeSet<AttributeSpecs>],
    ['rule', rule],
    ['set', setAttributes as unknown as AttributeSet<AttributeSpecs>],
    ['set elements', setElementMessageAttributes as unknown as AttributeSet<AttributeSpecs>],
  ];
  it.each(sets)('%s: arbitrary bytes', (_name, set) => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 160 }), (body) => same(set, body)), { numRuns: RUNS });
  });
});
