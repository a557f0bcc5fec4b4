/**
 * For every rule of the corpus (fixtures/netfilter/expr-*.json): the expressions decoded from
 * the NFT_MSG_NEWRULE that nft sent describe themselves exactly as `nft --debug=netlink`
 * printed them, and encode back to nft's bytes — both as decoded and after a trip through
 * JSON (no remembered wire layout: the declaration order alone must match nft's).
 */
import { describe, expect, it } from 'vitest';
import { fromJsonValue, toJsonValue } from '../../../src/netlink/json.js';
import { Writer } from '../../../src/netlink/writer.js';
import { describeExpression, expressionListCodec, type Expression } from '../../../src/nft/expressions/index.js';
import { rows } from '../../helpers/hex.js';
import { loadCorpus } from './expr-fixtures.js';

function encode(list: Expression[]): Uint8Array {
  const w = new Writer();
  expressionListCodec.encode(w, list, 'expressions');
  return w.finish().slice();
}

const corpus = loadCorpus();

it('finds the corpus', () => {
  expect(corpus.length).toBeGreaterThanOrEqual(60);
});

for (const fixture of corpus) {
  describe(`${fixture.name}: ${fixture.rule.text}`, () => {
    const decoded = expressionListCodec.decode(fixture.expressions, 0, 'expressions');

    it('describes each expression as nft --debug=netlink does', () => {
      expect(decoded.map(describeExpression)).toEqual(fixture.netlinkDebug);
    });

    it('models every expression (none opaque)', () => {
      expect(decoded.filter((e) => e.type === 'opaque')).toEqual([]);
    });

    it('encodes the decoded expressions back to the captured bytes', () => {
      expect(rows(encode(decoded))).toBe(rows(fixture.expressions));
    });

    it('encodes the same bytes from the JSON form (declaration order = nft order)', () => {
      const fresh = fromJsonValue(toJsonValue(decoded)) as Expression[];
      expect(rows(encode(fresh))).toBe(rows(fixture.expressions));
    });
  });
}
