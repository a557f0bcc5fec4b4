/**
 * NftClient.apply reads the ruleset generation before a batch only when the batch's replies
 * could be lost (apply.ts, socket-buffers.ts): it is what tells a batch not applied from one
 * whose outcome is unknown when replies overran, and a round trip of its own otherwise.
 */
import { describe, expect, it } from 'vitest';
import { SOL_SOCKET, SocketSockopt } from '../../../src/netlink/constants.js';
import { Connection } from '../../../src/netlink/connection.js';
import { OutcomeUnknownError } from '../../../src/netlink/errors.js';
import { applyBatch } from '../../../src/nft/apply.js';
import { addChain } from '../../../src/nft/chain-commands.js';
import { NfnlMsg, NftMsg } from '../../../src/nft/constants.js';
import { nftMessageType } from '../../../src/nft/nfgenmsg.js';
import { addRule } from '../../../src/nft/rule-commands.js';
import { ACK_TRUESIZE_ESTIMATE, BUFFER_SLACK } from '../../../src/nft/socket-buffers.js';
import { addTable } from '../../../src/nft/table-commands.js';
import { FakeNftables } from './fake-nftables.js';

const GETGEN = nftMessageType(NftMsg.NFT_MSG_GETGEN);
const table = addTable({ family: 'ip', name: 'nat' });
const chain = addChain({ family: 'ip', table: 'nat', name: 'post', type: 'nat', hook: 'postrouting', priority: 'srcnat' });
const rule = (chainName: string) => addRule({ family: 'ip', table: 'nat', chain: chainName, expressions: [{ type: 'counter' }] });

/** A simulated nf_tables whose socket reports a receive buffer of `receive` bytes (as getsockopt does: doubled). */
function withReceiveBuffer(receive = 212_992) {
  const nft = new FakeNftables();
  Object.assign(nft.kernel, {
    getOption: (level: number, option: number) => (level === SOL_SOCKET && option === SocketSockopt.SO_RCVBUF ? 2 * receive : 2 * 212_992),
  });
  return { nft, conn: new Connection(nft.kernel) };
}

/** Whether the generation was read before the batch (a verification re-reads it after). */
const sentGetgen = (nft: FakeNftables) => {
  const types = nft.kernel.received.map((m) => m.type);
  const getgen = types.indexOf(GETGEN);
  return getgen >= 0 && getgen < types.indexOf(NfnlMsg.NFNL_MSG_BATCH_BEGIN);
};

describe('the generation read before a batch', () => {
  it('is left out when nothing else is in flight, no group is joined and the buffer holds every reply', async () => {
    const { nft, conn } = withReceiveBuffer();
    const result = await applyBatch(conn, { commands: [table, chain, rule('post')] }, { autosizeBuffers: false });
    expect(result.status).toBe('committed');
    expect(sentGetgen(nft)).toBe(false);
    expect(nft.kernel.received[0]?.type).toBe(NfnlMsg.NFNL_MSG_BATCH_BEGIN);
  });

  it('is made when the socket belongs to a multicast group', async () => {
    const { nft, conn } = withReceiveBuffer();
    conn.transport.addMembership(1);
    await applyBatch(conn, { commands: [table] }, { autosizeBuffers: false });
    expect(sentGetgen(nft)).toBe(true);
  });

  it('is made when another request is in flight on the connection', async () => {
    const { nft, conn } = withReceiveBuffer();
    // A request made in the same run is held in the outbox when the batch is applied.
    const other = conn.request({ type: nftMessageType(NftMsg.NFT_MSG_GETTABLE), flags: 0, payload: Uint8Array.of(2, 0, 0, 0) }).catch(() => undefined);
    await applyBatch(conn, { commands: [table] }, { autosizeBuffers: false });
    await other;
    expect(sentGetgen(nft)).toBe(true);
  });

  it('is made when every reply the batch could bring would not fit the receive buffer', async () => {
    const commands = [table, chain, ...Array.from({ length: 60 }, () => rule('post'))];
    const fits = (commands.length + 2) * ACK_TRUESIZE_ESTIMATE + BUFFER_SLACK;
    const small = withReceiveBuffer(fits - 1);
    await applyBatch(small.conn, { commands }, { autosizeBuffers: false });
    expect(sentGetgen(small.nft)).toBe(true);
    const large = withReceiveBuffer(fits);
    await applyBatch(large.conn, { commands }, { autosizeBuffers: false });
    expect(sentGetgen(large.nft)).toBe(false);
  });

  it('is made when the transport cannot tell its buffer size', async () => {
    const nft = new FakeNftables();
    const conn = new Connection(nft.kernel);
    await applyBatch(conn, { commands: [table] }, { autosizeBuffers: false });
    expect(sentGetgen(nft)).toBe(true);
  });

  it('left out, replies lost all the same: an applied batch is still found applied, one not applied is unknown', async () => {
    const applied = withReceiveBuffer();
    applied.nft.loseNextBatchReplies = true;
    const result = await applyBatch(applied.conn, { commands: [table, chain] }, { autosizeBuffers: false });
    expect(sentGetgen(applied.nft)).toBe(false);
    expect(result.status).toBe('committed-after-verification');

    const refused = withReceiveBuffer();
    refused.nft.loseNextBatchReplies = true;
    const err = await applyBatch(refused.conn, { commands: [table, rule('missing')] }, { autosizeBuffers: false }).catch((e) => e);
    expect(sentGetgen(refused.nft)).toBe(false);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(refused.nft.commits).toBe(0);
  });
});
