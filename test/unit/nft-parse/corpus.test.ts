/**
 * The compiler against nft itself, offline: for every rule of the expression corpus
 * (fixtures/netfilter/expr-*.json, captured from `nft --debug=netlink add rule …`), parsing
 * and compiling the rule's text gives exactly the expressions nft sent (byte for byte), the
 * same `--debug=netlink` lines, and the same anonymous sets and elements. The few corpus
 * statements netns-ts does not compile must be refused with a ParseError, never mis-compiled.
 */
import { describe, expect, it } from 'vitest';
import { toJsonValue } from '../../../src/netlink/json.js';
import { Writer } from '../../../src/netlink/writer.js';
import { describeExpression, expressionListCodec, type Expression } from '../../../src/nft/expressions/index.js';
import { setElementMessageAttributes } from '../../../src/nft/set-element.js';
import { setAttributes } from '../../../src/nft/set.js';
import { compileRule } from '../../../src/nft/parse/compile/rule.js';
import { ParseError } from '../../../src/nft/parse/errors.js';
import { parseRuleText } from '../../../src/nft/parse/parse-commands.js';
import { encodeRawAttributesForTest, loadCorpus } from './corpus-helpers.js';
import { rows } from '../../helpers/hex.js';

/** Corpus statements outside what the compiler supports (each must be refused, not guessed). */
const UNSUPPORTED = new Set([
  'expr-bitwise-and', 'expr-bitwise-lshift', 'expr-bitwise-rshift', 'expr-mark-or', 'expr-mark-xor',
  'expr-dynset-add', 'expr-dynset-map', 'expr-dynset-timeout-counter', 'expr-dynset-update-limit',
  'expr-exthdr-load', 'expr-exthdr-tcpopt-exists', 'expr-exthdr-write', 'expr-ip6-exthdr-frag',
  'expr-objref-counter', 'expr-objref-limit', 'expr-objref-map', 'expr-objref-quota',
  'expr-payload-write', 'expr-tcp-flags-mask',
]);

function encode(list: Expression[]): Uint8Array {
  const w = new Writer();
  expressionListCodec.encode(w, list, 'expressions');
  return w.finish().slice();
}

const corpus = loadCorpus();
const interfaces = { interfaceIndex: (name: string) => (name === 'lo' ? 1 : undefined) };

for (const fixture of corpus) {
  describe(`${fixture.name}: ${fixture.rule.text}`, () => {
    const compile = () => {
      let id = 0;
      const { body, source } = parseRuleText(fixture.rule.text);
      return compileRule(body, source, { family: fixture.rule.family, table: fixture.rule.table, resolvers: interfaces, nextSetId: () => ++id });
    };
    if (UNSUPPORTED.has(fixture.name)) {
      it('is refused with a ParseError', () => {
        expect(() => compile()).toThrow(ParseError);
      });
      return;
    }
    it('compiles to the expressions nft sent, byte for byte', () => {
      expect(rows(encode(compile().expressions))).toBe(rows(fixture.expressions));
    });
    it('prints the --debug=netlink lines nft printed', () => {
      expect(compile().expressions.map(describeExpression)).toEqual(fixture.netlinkDebug);
    });
    it('creates the anonymous sets and elements nft created', () => {
      const sets = compile().sets;
      const mine = sets.filter((c) => c.type === 'NFT_MSG_NEWSET').map((c) => toJsonValue(setAttributes.decode(encodeRawAttributesForTest(setAttributes, c.attributes), 0, '')));
      const theirs = fixture.sets.map((raw) => toJsonValue(setAttributes.decode(encodeRawAttributesForTest(null, raw), 0, '')));
      expect(mine).toEqual(theirs);
      const myElements = sets.filter((c) => c.type === 'NFT_MSG_NEWSETELEM').map((c) => toJsonValue(setElementMessageAttributes.decode(encodeRawAttributesForTest(setElementMessageAttributes, c.attributes), 0, '')));
      const theirElements = fixture.setElements.map((raw) => toJsonValue(setElementMessageAttributes.decode(encodeRawAttributesForTest(null, raw), 0, '')));
      expect(myElements).toEqual(theirElements);
    });
  });
}
