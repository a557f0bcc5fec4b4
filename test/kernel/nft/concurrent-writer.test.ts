/**
 * Concurrency with another writer: `nft add rule` run between our read and our apply is caught
 * by the generation id (the kernel answers ERESTART), and the optimistic helper re-reads,
 * re-plans and applies; a rule handle from an old listing is not trusted once its table was
 * replaced.
 */
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { NftGenerationChangedError } from '../../../src/nft/batch-errors.js';
import { addRule } from '../../../src/nft/rule-commands.js';
import { StaleRuleError } from '../../../src/nft/optimistic.js';
import { commentOf } from '../../../src/nft/udata.js';
import { describeKernel, guardThreadNetns } from '../sandbox.js';
import { nft, nftJson, nftScratch, of } from './nft-sandbox.js';

const T = 30_000;

/** Feed an nft script on stdin inside the namespace (one transaction). */
function nftScript(ns: string, script: string): void {
  execFileSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: script });
}

describeKernel('a concurrent writer', () => {
  guardThreadNetns();
  const scratch = nftScratch();

  async function withChain() {
    const ns = scratch.netns();
    const c = scratch.client(ns);
    await c.addTable({ family: 'ip', name: 'nat' });
    await c.addChain({ family: 'ip', table: 'nat', name: 'post', type: 'nat', hook: 'postrouting', priority: 'srcnat' });
    return { ns, c };
  }

  it('a batch pinned to a stale generation is refused with ERESTART and changes nothing', async () => {
    const { ns, c } = await withChain();
    const seen = await c.listRuleset();
    nft(ns, 'add', 'rule', 'ip', 'nat', 'post', 'counter', 'comment', '"theirs"');
    const err = await c.apply({ commands: [addRule({ family: 'ip', table: 'nat', chain: 'post', expressions: [], comment: 'ours' })], genid: seen.generation }).catch((e) => e);
    expect(err).toBeInstanceOf(NftGenerationChangedError);
    expect(err.batchError.errno).toBe(85);
    expect(of(nftJson(ns), 'rule').map((r) => r.comment)).toEqual(['theirs']);
  }, T);

  it('applyOptimistic detects `nft add rule` between read and apply, re-reads and retries', async () => {
    const { ns, c } = await withChain();
    const plans: string[][] = [];
    const { attempts, ruleset } = await c.applyOptimistic((r, attempt) => {
      plans.push(r.rules.map((x) => commentOf(x.userdata) ?? ''));
      // The other writer strikes after our first read, before our first apply.
      if (attempt === 1) nft(ns, 'add', 'rule', 'ip', 'nat', 'post', 'counter', 'comment', '"theirs"');
      // Plan: add ours only if it is not there yet, and say how many rules we saw.
      return [addRule({ family: 'ip', table: 'nat', chain: 'post', expressions: [{ type: 'counter' }], comment: `ours after ${r.rules.length}` })];
    });
    expect(attempts).toBe(2);
    expect(plans).toEqual([[], ['theirs']]);
    expect(ruleset.rules).toHaveLength(1);
    expect(of(nftJson(ns), 'rule').map((r) => r.comment)).toEqual(['theirs', 'ours after 1']);
  }, T);

  it('a cached rule handle is not used once its table was deleted and re-created', async () => {
    const { ns, c } = await withChain();
    await c.addRule({ family: 'ip', table: 'nat', chain: 'post', expressions: [{ type: 'counter' }], comment: 'target' });
    const snapshot = await c.listRuleset();
    const target = snapshot.rules[0]!;
    // Someone rebuilds the table: the same handle now designates their rule.
    nft(ns, 'delete', 'table', 'ip', 'nat');
    nftScript(ns, 'add table ip nat\nadd chain ip nat post { type nat hook postrouting priority srcnat; }\nadd rule ip nat post counter comment "innocent"\n');
    expect(of(nftJson(ns), 'rule').map((r) => [r.handle, r.comment])).toEqual([[Number(target.handle), 'innocent']]);
    await expect(c.deleteListedRule(snapshot, target)).rejects.toBeInstanceOf(StaleRuleError);
    expect(of(nftJson(ns), 'rule').map((r) => r.comment)).toEqual(['innocent']);
  }, T);

  it('a cached rule handle still valid after unrelated commits is deleted', async () => {
    const { ns, c } = await withChain();
    await c.addRule({ family: 'ip', table: 'nat', chain: 'post', expressions: [{ type: 'counter' }], comment: 'target' });
    const snapshot = await c.listRuleset();
    nft(ns, 'add', 'table', 'inet', 'unrelated');
    await c.deleteListedRule(snapshot, snapshot.rules[0]!);
    expect(of(nftJson(ns), 'rule')).toEqual([]);
  }, T);
});
