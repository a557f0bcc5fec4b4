/**
 * Rules as nft sends them (every nest flagged NLA_F_NESTED) and as the kernel dumps them (no
 * nest flagged), or anything in between, decode to the same expressions and are written back
 * exactly as they came — through the fast paths of expression.ts and the core, and with or
 * without spans recorded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NLA_F_NESTED, NLA_HDRLEN } from '../../../src/netlink/constants.js';
import { COMPILE_AFTER_USES } from '../../../src/netlink/tier-up.js';
import { expressionListCodec, type Expression } from '../../../src/nft/expressions/index.js';
import { ruleAttributes } from '../../../src/nft/rule.js';
import { RUNS } from '../../helpers/arbitrary.js';
import { tryEncode } from './try-encode.js';
import { anyModelled } from './expr-arbitraries.js';


const rules = fc.array(anyModelled, { minLength: 1, maxLength: 5 }).map((items) => ({
  table: 'filter',
  chain: 'input',
  expressions: items.map(({ definition, attributes }) => ({ type: definition.name, ...attributes }) as Expression),
}));

const u16At = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);

/** Offsets of the headers of the rule's expression nest, its list elements and their data nests. */
function expressionNests(rule: Uint8Array): number[] {
  const out: number[] = [];
  for (let pos = 0; pos + NLA_HDRLEN <= rule.length; pos += (u16At(rule, pos) + 3) & ~3) {
    if ((u16At(rule, pos + 2) & 0xff) !== 4) continue; // NFTA_RULE_EXPRESSIONS
    out.push(pos);
    const end = pos + u16At(rule, pos);
    for (let elem = pos + NLA_HDRLEN; elem + NLA_HDRLEN <= end; elem += (u16At(rule, elem) + 3) & ~3) {
      out.push(elem);
      const elemEnd = elem + u16At(rule, elem);
      for (let a = elem + NLA_HDRLEN; a + NLA_HDRLEN <= elemEnd; a += (u16At(rule, a) + 3) & ~3) {
        if ((u16At(rule, a + 2) & 0xff) === 2) out.push(a); // NFTA_EXPR_DATA
      }
    }
  }
  return out;
}

describe('rule nesting styles (property)', () => {
  it('flagged and unflagged rules decode alike and are each written back as they came', () => {
    fc.assert(
      fc.property(rules, (rule) => {
        const flagged = tryEncode((w) => ruleAttributes.encode(w, rule, ''));
        if (!flagged) return;
        const unflagged = tryEncode((w) => ruleAttributes.encode(w, rule, ''), { flagged: false })!;
        const a = ruleAttributes.decode(flagged, 0, '');
        const b = ruleAttributes.decode(unflagged, 0, '');
        expect(b).toEqual(a);
        expect(tryEncode((w) => ruleAttributes.encode(w, a, ''))).toEqual(flagged);
        expect(tryEncode((w) => ruleAttributes.encode(w, b, ''))).toEqual(unflagged);
        expect(tryEncode((w) => ruleAttributes.encode(w, b, ''), { spans: false })).toEqual(unflagged);
        // The expression list decoded alone keeps its style as well.
        const list = expressionListCodec.decode(unflagged.subarray(expressionNests(unflagged)[0]! + NLA_HDRLEN, unflagged.length), 0, 'expressions');
        const listBytes = tryEncode((w) => expressionListCodec.encode(w, list, 'expressions'))!;
        expect(unflagged.subarray(unflagged.length - listBytes.length)).toEqual(listBytes);
      }),
      { numRuns: RUNS },
    );
  });

  it('a rule with some nests flagged and others not is written back exactly', () => {
    fc.assert(
      fc.property(rules, fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }), (rule, pick) => {
        const bytes = tryEncode((w) => ruleAttributes.encode(w, rule, ''), { flagged: false });
        if (!bytes) return;
        expressionNests(bytes).forEach((at, i) => {
          if (pick[i % pick.length]) bytes[at + 3]! |= NLA_F_NESTED >> 8;
        });
        const decoded = ruleAttributes.decode(bytes, 0, '');
        expect(decoded).toEqual(ruleAttributes.decodeExactly(bytes, 0, ''));
        expect(tryEncode((w) => ruleAttributes.encode(w, decoded, ''))).toEqual(bytes);
        expect(tryEncode((w) => ruleAttributes.encode(w, decoded, ''), { spans: false })).toEqual(bytes);
      }),
      { numRuns: RUNS },
    );
  });

  it('an unflagged list inside an expression, in a rule with one nest flagged, is written back exactly', () => {
    // Found by the property above: the exact decoder (which runs on a rule of both styles) must
    // leave the style mark on the expression it returns, not on an object copied into it.
    const rule = {
      table: 'filter',
      chain: 'input',
      expressions: [{ type: 'redir' }, { type: 'quota' }, { type: 'dynset', sregKey: 0, op: 'add', setId: 0, expressions: [{ type: 'counter' }] }],
    } as unknown as Parameters<typeof ruleAttributes.encode>[1];
    const bytes = tryEncode((w) => ruleAttributes.encode(w, rule, ''), { flagged: false })!;
    bytes[expressionNests(bytes)[3]! + 3]! |= NLA_F_NESTED >> 8; // the second expression's element
    // Through the general decoder first, then the compiled reader once the sets have tiered up.
    for (let i = 0; i < 2 * COMPILE_AFTER_USES; i++) expect(tryEncode((w) => ruleAttributes.encode(w, ruleAttributes.decode(bytes, 0, ''), ''))).toEqual(bytes);
  });
});
