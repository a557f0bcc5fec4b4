/**
 * Batches: serialization (one datagram, BATCH_BEGIN/END naming the subsystem, the generation
 * id, acks asked for) and the outcome — all or nothing, every reply mapped back to its command,
 * a failed command named with the kernel's reason, positive acks in a failed batch not taken
 * as success, lost replies settled by re-reading the ruleset.
 */
import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { OutcomeUnknownError, ValidationError } from '../../../src/netlink/errors.js';
import { parseDatagram } from '../../../src/netlink/message.js';
import { applyBatch, echoedHandle } from '../../../src/nft/apply.js';
import { NftBatchError, NftGenerationChangedError } from '../../../src/nft/batch-errors.js';
import { encodeBatch } from '../../../src/nft/batch.js';
import { addChain } from '../../../src/nft/chain-commands.js';
import { NfnlMsg, NfnlSubsys } from '../../../src/nft/constants.js';
import { nfgenmsg } from '../../../src/nft/nfgenmsg.js';
import { addRule, insertRule } from '../../../src/nft/rule-commands.js';
import { addTable, deleteTable } from '../../../src/nft/table-commands.js';
import { FakeNftables } from './fake-nftables.js';

const table = addTable({ family: 'ip', name: 'nat' });
const chain = addChain({ family: 'ip', table: 'nat', name: 'post', type: 'nat', hook: 'postrouting', priority: 'srcnat' });
const rule = (chainName = 'post', comment?: string) => addRule({ family: 'ip', table: 'nat', chain: chainName, expressions: [{ type: 'counter' }], ...(comment ? { comment } : {}) });

function setup() {
  const nft = new FakeNftables();
  const conn = new Connection(nft.kernel);
  return { nft, conn };
}

describe('serialization', () => {
  it('frames commands between BATCH_BEGIN and BATCH_END with res_id NFNL_SUBSYS_NFTABLES and the genid', () => {
    const { messages, size } = encodeBatch({ commands: [table, chain], genid: 7 });
    expect(messages.map((m) => m.type)).toEqual([NfnlMsg.NFNL_MSG_BATCH_BEGIN, 0x0a00, 0x0a03, NfnlMsg.NFNL_MSG_BATCH_END]);
    const begin = nfgenmsg.decodeAt(messages[0]!.payload, 0, 'begin');
    expect(begin).toEqual({ family: 0, version: 0, resId: NfnlSubsys.NFNL_SUBSYS_NFTABLES });
    // NFNL_BATCH_GENID: a big-endian u32 after the nfgenmsg.
    expect([...messages[0]!.payload.subarray(4)]).toEqual([8, 0, 1, 0, 0, 0, 0, 7]);
    expect(messages[3]!.payload.length).toBe(nfgenmsg.size);
    expect(size).toBe(messages.reduce((n, m) => n + 16 + m.payload.length, 0));
  });

  it('asks an ack of no command (default, errors only) or of every one, and always of BATCH_END', () => {
    const each = encodeBatch({ commands: [table] }, { ack: 'each' }).messages;
    expect(each[1]!.flags! & NlmFlags.NLM_F_ACK).toBe(NlmFlags.NLM_F_ACK);
    expect(each[2]!.flags! & NlmFlags.NLM_F_ACK).toBe(NlmFlags.NLM_F_ACK);
    expect(each[0]!.flags! & NlmFlags.NLM_F_ACK).toBe(0);
    const errors = encodeBatch({ commands: [table] }).messages;
    expect(errors[1]!.flags! & NlmFlags.NLM_F_ACK).toBe(0);
  });

  it('records spans relative to each message, so extack offsets name attributes', () => {
    const { messages } = encodeBatch({ commands: [table, rule()] });
    const ruleSpans = messages[2]!.spans!;
    // nlmsghdr (16) + nfgenmsg (4): the first attribute, NFTA_RULE_TABLE, starts at 20.
    expect(ruleSpans.find((s) => s.path === 'table')).toMatchObject({ start: 20 });
    expect(ruleSpans.find((s) => s.path === 'chain')).toMatchObject({ start: 28 });
  });

  it('describes each rule command by its own verb, family, table and chain', () => {
    const r = (family: 'ip' | 'ip6', table: string, chain: string) => ({ family, table, chain, expressions: [{ type: 'counter' as const }] });
    const { descriptions } = encodeBatch({
      commands: [
        addRule(r('ip', 'nat', 'a')),
        addRule(r('ip', 'nat', 'a')),
        insertRule(r('ip', 'nat', 'b')),
        addRule(r('ip', 'nat', 'b')),
        addRule(r('ip6', 'nat', 'b')),
        addRule(r('ip6', 'filter', 'b')),
        addRule({ ...r('ip6', 'filter', 'b'), after: 4n }),
        addRule(r('ip6', 'filter', 'b')),
      ],
    });
    expect(descriptions).toEqual([
      'add rule ip nat a',
      'add rule ip nat a',
      'insert rule ip nat b',
      'add rule ip nat b',
      'add rule ip6 nat b',
      'add rule ip6 filter b',
      'add rule ip6 filter b',
      'add rule ip6 filter b',
    ]);
  });

  it('refuses a bad genid before encoding anything', () => {
    expect(() => encodeBatch({ commands: [table], genid: -1 })).toThrow(ValidationError);
  });
});

describe('outcomes', () => {
  it('commits: every command acked, BATCH_END acked, all in one datagram', async () => {
    const { nft, conn } = setup();
    const result = await applyBatch(conn, { commands: [table, chain, rule()] }, { verify: false, ack: 'each' });
    expect(result.status).toBe('committed');
    expect(result.commands.map((c) => [c.index, c.description, c.status])).toEqual([
      [0, 'add table ip nat', 'acked'],
      [1, 'add chain ip nat post', 'acked'],
      [2, 'add rule ip nat post', 'acked'],
    ]);
    expect(nft.kernel.sent).toHaveLength(1);
    expect(parseDatagram(nft.kernel.sent[0]!)).toHaveLength(5);
    expect(nft.state.rules).toHaveLength(1);
    expect(nft.commits).toBe(1);
  });

  it('a failed command fails the batch: which command, why, and the attribute; nothing applied', async () => {
    const { nft, conn } = setup();
    const err = await applyBatch(conn, { commands: [table, chain, rule('missing'), rule()] }, { ack: 'each' }).catch((e) => e);
    expect(err).toBeInstanceOf(NftBatchError);
    expect(err.failures).toHaveLength(1);
    expect(err.firstFailure.index).toBe(2);
    expect(err.firstFailure.description).toBe('add rule ip nat missing');
    expect(err.firstFailure.error.code).toBe('ENOENT');
    expect(err.firstFailure.error.extack).toBe('No such object');
    expect(err.firstFailure.error.attribute).toBe('table');
    expect(err.message).toMatch(/^batch not applied: command 2 \(add rule ip nat missing\) failed: ENOENT .*No such object/);
    // The other three commands were acked, yet the batch is not a success and nothing changed.
    expect(nft.commandAcks).toBe(3);
    expect(nft.state.tables).toEqual([]);
    expect(nft.commits).toBe(0);
  });

  it('reports every failed command, in order', async () => {
    const { conn } = setup();
    const err = await applyBatch(conn, { commands: [table, rule('a'), chain, rule('b')] }).catch((e) => e);
    expect(err.failures.map((f: { index: number }) => f.index)).toEqual([1, 3]);
    expect(err.message).toMatch(/and 1 more failed command\b/);
  });

  it('a stale generation id refuses the whole batch with ERESTART', async () => {
    const { nft, conn } = setup();
    nft.concurrentCommit();
    const err = await applyBatch(conn, { commands: [table], genid: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(NftGenerationChangedError);
    expect(err.expected).toBe(1);
    expect(err.batchError.errno).toBe(85);
    expect(nft.state.tables).toEqual([]);
  });

  it('the generation id of a current ruleset is accepted', async () => {
    const { nft, conn } = setup();
    await expect(applyBatch(conn, { commands: [table], genid: nft.generation })).resolves.toMatchObject({ status: 'committed' });
  });

  it('by default (errors only) silence and the ack of BATCH_END are success', async () => {
    const { nft, conn } = setup();
    const result = await applyBatch(conn, { commands: [table, chain] });
    expect(result.commands.map((c) => c.status)).toEqual(['silent', 'silent']);
    expect(nft.state.chains).toHaveLength(1);
  });

  it('returns the handle the kernel echoed', async () => {
    const { conn } = setup();
    const result = await applyBatch(conn, { commands: [table, chain, addRule({ family: 'ip', table: 'nat', chain: 'post', expressions: [] }, { echo: true })] });
    expect(typeof echoedHandle(result.commands[2]!)).toBe('bigint');
    expect(echoedHandle(result.commands[0]!)).toBeUndefined();
  });

  it('an empty batch sends nothing', async () => {
    const { nft, conn } = setup();
    await expect(applyBatch(conn, { commands: [] })).resolves.toEqual({ status: 'committed', commands: [] });
    expect(nft.kernel.sent).toHaveLength(0);
  });

  it('bad input sends nothing', async () => {
    const { nft, conn } = setup();
    await expect(applyBatch(conn, { commands: [addRule({ family: 'ip', table: 'nat', chain: 'post', expressions: [{ type: 'cmp' } as never] })] })).rejects.toBeInstanceOf(ValidationError);
    expect(nft.kernel.sent).toHaveLength(0);
  });
});

describe('lost replies are settled by re-reading the ruleset', () => {
  it('committed-after-verification when the batch took effect', async () => {
    const { nft, conn } = setup();
    nft.loseNextBatchReplies = true;
    const commands = [table, chain, ...Array.from({ length: 20 }, (_, i) => rule('post', `r${i}`))];
    const result = await applyBatch(conn, { commands }, { ack: 'each' });
    expect(result.status).toBe('committed-after-verification');
    expect(result.commands.every((c) => c.status === 'unverified')).toBe(true);
    expect(nft.state.rules).toHaveLength(20);
  });

  it('a failure when the generation did not move (the batch was refused, replies lost)', async () => {
    const { nft, conn } = setup();
    nft.loseNextBatchReplies = true;
    const err = await applyBatch(conn, { commands: [table, rule('missing')] }).catch((e) => e);
    expect(err).toBeInstanceOf(NftBatchError);
    expect(err.verified).toBe('not-applied');
    expect(err.message).toMatch(/generation is still/);
  });

  it('a failure when exactly one other commit happened and the effect is missing', async () => {
    const { nft, conn } = setup();
    nft.loseNextBatchReplies = true;
    nft.onBatchBegin = () => {
      nft.onBatchBegin = undefined;
      nft.concurrentCommit();
    };
    const err = await applyBatch(conn, { commands: [table, rule('missing')] }).catch((e) => e);
    expect(err).toBeInstanceOf(NftBatchError);
    expect(err.verified).toBe('not-applied');
    expect(err.message).toMatch(/table ip nat is missing/);
  });

  it('outcome unknown when several commits happened and the effect is missing', async () => {
    const { nft, conn } = setup();
    nft.loseNextBatchReplies = true;
    nft.onBatchBegin = () => {
      nft.onBatchBegin = undefined;
      nft.concurrentCommit();
      nft.concurrentCommit();
    };
    const err = await applyBatch(conn, { commands: [table, rule('missing')] }).catch((e) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.message).toMatch(/cannot tell/);
  });

  it('without verification the loss is reported as it is', async () => {
    const { nft, conn } = setup();
    nft.loseNextBatchReplies = true;
    const err = await applyBatch(conn, { commands: [table] }, { verify: false }).catch((e) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.message).toMatch(/not re-read/);
    expect(nft.commits).toBe(1);
  });

  it('a delete is verified by absence', async () => {
    const { nft, conn } = setup();
    await applyBatch(conn, { commands: [table] });
    nft.loseNextBatchReplies = true;
    await expect(applyBatch(conn, { commands: [deleteTable({ family: 'ip', name: 'nat' })] })).resolves.toMatchObject({ status: 'committed-after-verification' });
  });
});
