/**
 * netns-ts's nft against the installed nft, rule by rule (rule-corpus.ts), in two sibling
 * namespaces set up identically:
 *  - `netns-ts nft --debug=netlink add rule …` prints exactly what `nft --debug=netlink add rule
 *    …` prints (the register-level expressions, the anonymous sets and their elements);
 *  - the kernel then holds the same rule: `nft list chain` prints the same in both namespaces;
 *  - `netns-ts nft list chain` prints it as nft does (text → kernel → text), and `-j` gives
 *    the same `expr` JSON as `nft -j`.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNft } from '../../../src/cli/nft/index.js';
import { createNetns } from '../../../src/netns/index.js';
import { describeKernel, guardThreadNetns, ipNetnsDelete, randomName, sh } from '../sandbox.js';
import { testContext, type TestContext } from './cli-context.js';
import { RULE_CORPUS } from './rule-corpus.js';

const T = 20_000;

function setupFile(family: string): string {
  const file = join(tmpdir(), `${randomName('nftsetup')}.nft`);
  writeFileSync(file, [
    'flush ruleset',
    `add table ${family} t`,
    `add chain ${family} t pre { type nat hook prerouting priority dstnat; }`,
    `add chain ${family} t post { type nat hook postrouting priority srcnat; }`,
    `add chain ${family} t filt { type filter hook forward priority filter; }`,
    `add chain ${family} t other`,
    `add set ${family} t myset { type ipv4_addr; }`,
    '',
  ].join('\n'));
  return file;
}

const nft = (ns: string, ...args: string[]): string => sh('ip', ['netns', 'exec', ns, 'nft', ...args]);

/** The rules of `nft -j list chain`, without handles (they are allocated per namespace). */
function rulesJson(text: string): unknown[] {
  const doc = JSON.parse(text) as { nftables: Array<Record<string, any>> };
  return doc.nftables.filter((e) => 'rule' in e).map((e) => e.rule.expr);
}

describeKernel('nft language: netns-ts compiles, lists and prints like the installed nft', () => {
  guardThreadNetns();
  let theirs: string;
  let ours: string;
  let ctx: TestContext;
  const setups = new Map<string, string>();

  beforeAll(() => {
    theirs = randomName('nftA');
    ours = randomName('nftB');
    createNetns(theirs);
    createNetns(ours);
    ctx = testContext(ours);
    for (const family of ['ip', 'ip6', 'inet']) setups.set(family, setupFile(family));
  });
  afterAll(() => {
    ctx?.close();
    ipNetnsDelete(theirs);
    ipNetnsDelete(ours);
  });

  it('has a corpus of at least 40 rules', () => {
    expect(RULE_CORPUS.length).toBeGreaterThanOrEqual(40);
  });

  describe.each(RULE_CORPUS.map((r) => [`${r[0]} ${r[2]}`, r] as const))('%s', (_name, [family, chain, rule]) => {
    it('prints the same --debug=netlink lines, leaves the same rule, lists it as nft does', async () => {
      for (const ns of [theirs, ours]) nft(ns, '-f', setups.get(family)!);
      const expected = nft(theirs, '--debug=netlink', 'add', 'rule', family, 't', chain, rule);
      ctx.lines.length = 0;
      await runNft(['--debug=netlink', 'add', 'rule', family, 't', chain, rule], ctx);
      expect(`${ctx.lines.join('\n')}\n`).toBe(expected);

      const listedByNft = nft(theirs, 'list', 'chain', family, 't', chain);
      expect(nft(ours, 'list', 'chain', family, 't', chain)).toBe(listedByNft);
      ctx.lines.length = 0;
      await runNft(['list', 'chain', family, 't', chain], ctx);
      expect(`${ctx.lines.join('\n')}\n`).toBe(listedByNft);

      ctx.lines.length = 0;
      await runNft(['-j', 'list', 'chain', family, 't', chain], ctx);
      expect(rulesJson(ctx.lines.join(''))).toEqual(rulesJson(nft(theirs, '-j', 'list', 'chain', family, 't', chain)));
    }, T);
  });
});
