/**
 * A batch writes the expressions of a rule built in code through a fused path (one step per
 * element, expression.ts writeBuiltElement) on its span-free writer, and a plain `add rule`'s
 * body straight (rule-body.ts). Both must write the bytes the general path writes on a writer
 * that records spans — the one a rejected command's error position is found with — and
 * refuse exactly the same values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expression } from '../../../src/nft/expressions/index.js';
import type { NftCommand } from '../../../src/nft/command.js';
import type { NfFamily } from '../../../src/nft/nfgenmsg.js';
import { RUNS } from '../../helpers/arbitrary.js';
import { anyModelled } from './expr-arbitraries.js';
import { batchBody, batchCommandBody, generalBody, generalCommandBody } from './rule-bodies.js';

/** Names as a caller may give them: plain ASCII mostly, some not (NUL, non-ASCII, too long, empty). */
const name = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'grapheme', minLength: 0, maxLength: 12 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 250, maxLength: 300 }),
);

/** A rule command's attributes in any order, sometimes with a comment or a handle beside them. */
const ruleCommand = fc
  .record({
    family: fc.constantFrom<NfFamily>('ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev', 2, 250),
    table: name,
    chain: name,
    expressions: fc.array(anyModelled, { minLength: 0, maxLength: 3 }),
    extra: fc.option(fc.constantFrom('comment', 'handle', 'undefined'), { nil: undefined }),
    order: fc.shuffledSubarray(['table', 'chain', 'expressions', 'extra'], { minLength: 4, maxLength: 4 }),
  })
  .map(({ family, table, chain, expressions, extra, order }): NftCommand => {
    const values: Record<string, unknown> = { table, chain, expressions: expressions.map(({ definition, attributes }) => ({ type: definition.name, ...attributes }) as Expression) };
    const attributes: Record<string, unknown> = {};
    for (const key of order) {
      if (key !== 'extra') attributes[key] = values[key];
      else if (extra === 'comment') attributes.userdata = [{ type: 'comment', value: 'c' }];
      else if (extra === 'handle') attributes.handle = 7n;
      else if (extra === 'undefined') attributes.position = undefined;
    }
    return { type: 'NFT_MSG_NEWRULE', family, flags: 0xc00, attributes } as NftCommand;
  });

/**
 * Every generated value's body as a batch writes it equals the general path's (undefined
 * both ways when refused); both branches must be reached, or the property says nothing about
 * one of them.
 */
function expectBatchAsGeneral<T>(values: fc.Arbitrary<T>, general: (value: T) => Uint8Array | undefined, batch: (value: T) => Uint8Array | undefined): void {
  let accepted = 0;
  fc.assert(
    fc.property(values, (value) => {
      const expected = general(value);
      expect(batch(value)).toEqual(expected);
      if (expected) accepted++;
    }),
    { numRuns: RUNS },
  );
  expect(accepted).toBeGreaterThan(RUNS / 20);
  expect(accepted).toBeLessThan(RUNS);
}

describe('rule bodies in a batch (property)', () => {
  it('are written as the general path writes them, whatever the names, family and attribute order', () => {
    expectBatchAsGeneral(ruleCommand, generalCommandBody, batchCommandBody);
  });
});

describe('expressions in a batch (property)', () => {
  it('are written as the general path writes them, and refused exactly when it refuses them', () => {
    const lists = fc
      .array(anyModelled, { minLength: 1, maxLength: 4 })
      .map((items) => items.map(({ definition, attributes }) => ({ type: definition.name, ...attributes }) as Expression));
    expectBatchAsGeneral(lists, generalBody, batchBody);
  });
});
