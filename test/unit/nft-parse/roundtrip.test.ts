/**
 * Text → expressions → text → expressions, offline: every rule of the differential corpus
 * compiles, renders back to nft syntax (src/nft/render, the lister's renderer), and that text
 * compiles to the very same expressions — the two directions agree without a kernel between.
 */
import { describe, expect, it } from 'vitest';
import { toJsonValue } from '../../../src/netlink/json.js';
import type { NftCommand } from '../../../src/nft/command.js';
import { compileRule, type CompiledRule } from '../../../src/nft/parse/compile/rule.js';
import { parseRuleText } from '../../../src/nft/parse/parse-commands.js';
import { renderRule, type RenderSet } from '../../../src/nft/render/index.js';
import { RULE_CORPUS } from '../../kernel/nft-cli/rule-corpus.js';

const resolvers = { interfaceIndex: (n: string) => (n === 'lo' ? 1 : undefined), serviceNumber: (n: string) => (n === 'ssh' ? 22 : undefined) };

function compile(family: 'ip' | 'ip6' | 'inet', text: string): CompiledRule {
  let id = 0;
  const { body, source } = parseRuleText(text);
  return compileRule(body, source, { family, table: 't', resolvers, nextSetId: () => ++id });
}

/** The anonymous sets a compiled rule created, as the renderer reads them. */
function setsOf(commands: readonly NftCommand[]): (ref: { name?: string; id?: number }) => RenderSet | undefined {
  return (ref) => {
    const set = commands.find((c) => c.type === 'NFT_MSG_NEWSET' && c.attributes.id === ref.id);
    const elements = commands.find((c) => c.type === 'NFT_MSG_NEWSETELEM' && c.attributes.setId === ref.id);
    if (!set || set.type !== 'NFT_MSG_NEWSET' || !elements || elements.type !== 'NFT_MSG_NEWSETELEM') return undefined;
    return {
      name: set.attributes.name!,
      interval: set.attributes.flags?.includes('interval') ?? false,
      elements: (elements.attributes.elements ?? []).map((e) => ({
        key: e.key!.value!,
        ...(e.flags?.includes('interval-end') ? { intervalEnd: true } : {}),
        ...(e.data ? { data: e.data } : {}),
      })),
    };
  };
}

function sortedSets(commands: readonly NftCommand[]): unknown {
  return toJsonValue(commands.map((c) => {
    if (c.type !== 'NFT_MSG_NEWSETELEM') return c;
    const key = (e: { key?: { value?: Uint8Array } }): string => Buffer.from(e.key?.value ?? []).toString('hex');
    return { ...c, attributes: { ...c.attributes, elements: [...(c.attributes.elements ?? [])].sort((a, b) => key(a).localeCompare(key(b))) } };
  }));
}

describe('compile → render → compile is a fixpoint', () => {
  for (const [family, , rule] of RULE_CORPUS) {
    if (rule.includes('@myset')) continue; // a named set: nothing to render it from offline
    it(`${family} ${rule}`, () => {
      const first = compile(family, rule);
      const text = renderRule(first.expressions, { family, resolveSet: setsOf(first.sets), stateless: true, ifname: (i) => (i === 1 ? 'lo' : undefined) });
      expect(text).not.toMatch(/\[ /); // nothing printed raw
      const again = compile(family, `${text}${first.comment !== undefined ? ` comment "${first.comment}"` : ''}`);
      expect(toJsonValue(again.expressions)).toEqual(toJsonValue(first.expressions));
      // The listing sorts set elements: compare each set's elements in key order.
      expect(sortedSets(again.sets)).toEqual(sortedSets(first.sets));
    });
  }
});
