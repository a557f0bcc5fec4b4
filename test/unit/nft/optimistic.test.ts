/**
 * Optimistic writers: read, plan, apply pinned to the generation read; a concurrent commit in
 * between is caught (ERESTART) and the plan recomputed, a bounded number of times. A rule
 * handle from an old listing is trusted only if its table is the same table and the rule
 * there is the same rule.
 */
import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { NftMsg } from '../../../src/nft/constants.js';
import { nftMessageType } from '../../../src/nft/nfgenmsg.js';
import { applyOptimistic, deleteRuleChecked, OptimisticConflictError, StaleRuleError } from '../../../src/nft/optimistic.js';
import { listRuleset } from '../../../src/nft/reader.js';
import { addRule } from '../../../src/nft/rule-commands.js';
import { FakeNftables } from './fake-nftables.js';

function withChain() {
  const nft = new FakeNftables();
  nft.state.tables.push({ family: 'ip', name: 'nat', handle: nft.handle() });
  nft.state.chains.push({ family: 'ip', table: 'nat', name: 'post', handle: nft.handle() });
  return { nft, conn: new Connection(nft.kernel) };
}

const counterRule = (comment: string) => addRule({ family: 'ip', table: 'nat', chain: 'post', expressions: [{ type: 'counter' }], comment });
const delrules = (nft: FakeNftables) => nft.kernel.received.filter((m) => m.type === nftMessageType(NftMsg.NFT_MSG_DELRULE)).length;

describe('applyOptimistic', () => {
  it('re-reads and re-plans when another writer commits between the read and the apply', async () => {
    const { nft, conn } = withChain();
    let intruded = false;
    nft.onBatchBegin = () => {
      if (intruded) return;
      intruded = true;
      // `nft add rule` by someone else, right before our batch arrives.
      nft.concurrentCommit((s) => s.rules.push({ family: 'ip', table: 'nat', chain: 'post', handle: 99n, expressions: [] }));
    };
    const seen: number[] = [];
    const { result, attempts } = await applyOptimistic(conn, (ruleset) => {
      seen.push(ruleset.rules.length);
      return [counterRule(`after ${ruleset.rules.length}`)];
    });
    expect(attempts).toBe(2);
    expect(seen).toEqual([0, 1]);
    expect(result?.status).toBe('committed');
    expect(nft.state.rules.map((r) => r.userdata)).toEqual([undefined, [{ type: 'comment', value: 'after 1' }]]);
  });

  it('does nothing when the plan has nothing to do', async () => {
    const { nft, conn } = withChain();
    const out = await applyOptimistic(conn, () => []);
    expect(out.result).toBeUndefined();
    expect(nft.commits).toBe(0);
  });

  it('gives up after the given number of lost races, having applied nothing', async () => {
    const { nft, conn } = withChain();
    nft.onBatchBegin = () => nft.concurrentCommit();
    const err = await applyOptimistic(conn, () => [counterRule('x')], { attempts: 3 }).catch((e) => e);
    expect(err).toBeInstanceOf(OptimisticConflictError);
    expect(err.attempts).toBe(3);
    expect(nft.state.rules).toEqual([]);
  });
});

describe('deleteRuleChecked', () => {
  async function listedRule() {
    const { nft, conn } = withChain();
    nft.state.rules.push({ family: 'ip', table: 'nat', chain: 'post', handle: nft.handle(), expressions: [{ type: 'counter', bytes: 0n, packets: 0n }], userdata: [{ type: 'comment', value: 'mine' }] });
    const snapshot = await listRuleset(conn);
    return { nft, conn, snapshot, rule: snapshot.rules[0]! };
  }

  it('deletes the rule when nothing changed', async () => {
    const { nft, conn, snapshot, rule } = await listedRule();
    await deleteRuleChecked(conn, snapshot, rule);
    expect(nft.state.rules).toEqual([]);
  });

  it('deletes it after an unrelated concurrent commit (re-checked at the new generation)', async () => {
    const { nft, conn, snapshot, rule } = await listedRule();
    nft.concurrentCommit((s) => s.tables.push({ family: 'inet', name: 'other', handle: 50n }));
    await deleteRuleChecked(conn, snapshot, rule);
    expect(nft.state.rules).toEqual([]);
    expect(delrules(nft)).toBe(2);
  });

  it('refuses when the table was deleted and re-created (handles restart), sending no delete', async () => {
    const { nft, conn, snapshot, rule } = await listedRule();
    nft.concurrentCommit((s) => {
      s.tables[0]!.handle = 77n; // same name, different table
      s.rules[0]!.userdata = [{ type: 'comment', value: 'someone else' }];
    });
    const err = await deleteRuleChecked(conn, snapshot, rule).catch((e) => e);
    expect(err).toBeInstanceOf(StaleRuleError);
    expect(err.message).toMatch(/deleted or replaced/);
    expect(nft.state.rules).toHaveLength(1);
    expect(delrules(nft)).toBe(1); // only the first, pinned (and refused) attempt
  });

  it('refuses when the handle now holds a different rule', async () => {
    const { nft, conn, snapshot, rule } = await listedRule();
    nft.concurrentCommit((s) => {
      s.rules[0]!.expressions = [];
    });
    await expect(deleteRuleChecked(conn, snapshot, rule)).rejects.toBeInstanceOf(StaleRuleError);
    expect(nft.state.rules).toHaveLength(1);
  });
});
