/**
 * For every rule of the corpus, renderRule turns the expressions nft sent back into exactly the
 * text `nft list chain` printed for the rule (anonymous sets resolved from the same batch).
 */
import { describe, expect, it } from 'vitest';
import { expressionListCodec } from '../../../src/nft/expressions/index.js';
import { renderRule } from '../../../src/nft/render/index.js';
import { batchSets, loadCorpus } from './expr-fixtures.js';

// The sandbox the corpus was captured in has only `lo`, index 1.
const ifname = (index: number): string | undefined => (index === 1 ? 'lo' : undefined);

for (const fixture of loadCorpus()) {
  describe(`${fixture.name}`, () => {
    it(`renders as nft lists it: ${fixture.listing.text}`, () => {
      const expressions = expressionListCodec.decode(fixture.expressions, 0, 'expressions');
      const text = renderRule(expressions, { family: fixture.rule.family, resolveSet: batchSets(fixture), ifname });
      expect(text).toBe(fixture.listing.text);
    });
  });
}
