/**
 * A batch whose replies overran the receive buffer (ENOBUFS): the replies still queued after
 * the overrun are read, and they settle the outcome when they can — BATCH_END's ack is the
 * commit confirmation, a command's error means nothing was applied — before the ruleset is
 * re-read to decide.
 */
import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { applyBatch } from '../../../src/nft/apply.js';
import { NftBatchError } from '../../../src/nft/batch-errors.js';
import { addChain } from '../../../src/nft/chain-commands.js';
import { addRule } from '../../../src/nft/rule-commands.js';
import { NfnlMsg } from '../../../src/nft/constants.js';
import { addTable } from '../../../src/nft/table-commands.js';
import { FakeNftables } from './fake-nftables.js';

const table = addTable({ family: 'ip', name: 'nat' });
const chain = addChain({ family: 'ip', table: 'nat', name: 'post', type: 'nat', hook: 'postrouting', priority: 'srcnat' });
const rule = (chainName: string) => addRule({ family: 'ip', table: 'nat', chain: chainName, expressions: [{ type: 'counter' }] });

/** A simulated nf_tables whose next batch overruns the socket as it begins (replies queued later survive). */
function overrunning() {
  const nft = new FakeNftables();
  const conn = new Connection(nft.kernel);
  nft.onBatchBegin = () => {
    nft.onBatchBegin = undefined;
    nft.kernel.overrunQueued();
  };
  return { nft, conn };
}

describe('a batch whose replies overran', () => {
  it('is committed on the BATCH_END ack read after the overrun, without re-reading the ruleset', async () => {
    const { nft, conn } = overrunning();
    const result = await applyBatch(conn, { commands: [table, chain, rule('post')] });
    expect(result.status).toBe('committed');
    expect(conn.stats.overruns).toBe(1);
    expect(nft.commits).toBe(1);
    expect(nft.state.rules).toHaveLength(1);
  });

  it('is a failure naming the command when its error is read after the overrun', async () => {
    const { nft, conn } = overrunning();
    const err = await applyBatch(conn, { commands: [table, rule('missing')] }).catch((e) => e);
    expect(err).toBeInstanceOf(NftBatchError);
    expect(err.verified).toBeUndefined();
    expect(err.firstFailure?.index).toBe(1);
    expect(err.firstFailure?.error.code).toBe('ENOENT');
    expect(nft.commits).toBe(0);
  });

  it('reads every ack queued after an overrun that came first', async () => {
    const { conn } = overrunning();
    const result = await applyBatch(conn, { commands: [table, chain] }, { ack: 'each' });
    expect(result.status).toBe('committed');
    expect(result.commands.map((c) => c.status)).toEqual(['acked', 'acked']);
  });

  it('is settled by the ruleset when every command was to be acked and their acks were lost', async () => {
    const nft = new FakeNftables();
    const conn = new Connection(nft.kernel);
    // The overrun comes as BATCH_END is processed: the commands' acks are dropped, its own ack is not.
    const kernel = nft.kernel as unknown as { respond: (m: { type: number }, k: typeof nft.kernel) => unknown };
    const respond = kernel.respond;
    kernel.respond = (m, k) => {
      if (m.type === NfnlMsg.NFNL_MSG_BATCH_END) k.overrunQueued();
      return respond(m, k);
    };
    const result = await applyBatch(conn, { commands: [table, chain] }, { ack: 'each' });
    expect(result.status).toBe('committed-after-verification');
    expect(conn.stats.overruns).toBe(1);
  });
});

describe('the generation read before a batch', () => {
  it('is known when every reply to the batch is lost, even when this turn has read its fill', async () => {
    const nft = new FakeNftables();
    const conn = new Connection(nft.kernel);
    // Past the read-turn budget (read-turn.ts) a flush after a send reads nothing: the replies
    // wait for the next turn. A flush with no count (a drain) still reads.
    const kernel = nft.kernel as unknown as { flush: (answers?: number) => void; respond: (m: { type: number }, k: typeof nft.kernel) => unknown };
    const flush = kernel.flush.bind(nft.kernel);
    kernel.flush = (answers) => {
      if (answers === undefined) flush();
    };
    // Every reply to the batch is lost: an overrun as BATCH_END is handled, and no ack for it.
    const respond = kernel.respond;
    kernel.respond = (m, k) => {
      if (m.type !== NfnlMsg.NFNL_MSG_BATCH_END) return respond(m, k);
      respond(m, k);
      k.overrunQueued();
      return undefined;
    };
    const err = await applyBatch(conn, { commands: [table, rule('missing')] }).catch((e) => e);
    // The generation, read before the batch went, has not moved: nothing was applied.
    expect(err).toBeInstanceOf(NftBatchError);
    expect(err.verified).toBe('not-applied');
    expect(nft.commits).toBe(0);
  });
});
