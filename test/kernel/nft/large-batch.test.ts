/**
 * Large batches are sent whole, as one datagram. With buffers sized from the batch every ack
 * arrives; with a receive buffer too small for 2000 acks the replies overrun (ENOBUFS), and
 * re-reading the ruleset shows the batch committed: `committed-after-verification`, not failure.
 */
import { expect, it } from 'vitest';
import { SOL_SOCKET, SocketSockopt } from '../../../src/netlink/constants.js';
import { SocketTransport } from '../../../src/netlink/socket-transport.js';
import type { NftCommand } from '../../../src/nft/command.js';
import { addRule } from '../../../src/nft/rule-commands.js';
import { describeKernel, guardThreadNetns } from '../sandbox.js';
import { nft, nftScratch } from './nft-sandbox.js';

const T = 60_000;
// uapi <linux/netfilter/nfnetlink.h>, <linux/netfilter/nf_tables.h>: message types as sent (NFNL_SUBSYS_NFTABLES << 8 | msg).
const NFNL_MSG_BATCH_BEGIN = 0x10;
const NFT_MSG_GETGEN = (10 << 8) | 16;
const COMMANDS = 2000;

function portRules(n: number): NftCommand[] {
  return Array.from({ length: n }, (_, i) =>
    addRule({
      family: 'inet', table: 't', chain: 'c', comment: `r${i}`,
      expressions: [
        { type: 'payload', dreg: 1, base: 'transport', offset: 2, len: 2 },
        { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of((1024 + i) >> 8, (1024 + i) & 0xff) } },
        { type: 'counter' },
      ],
    }),
  );
}

function countRules(ns: string): number {
  return nft(ns, 'list', 'chain', 'inet', 't', 'c').split('\n').filter((l) => /comment "r\d+"/.test(l)).length;
}

describeKernel('large batches', () => {
  guardThreadNetns();
  const scratch = nftScratch();

  async function prepared(options: Parameters<typeof scratch.client>[1] = {}) {
    const ns = scratch.netns();
    const c = scratch.client(ns, options);
    await c.addTable({ family: 'inet', name: 't' });
    await c.addChain({ family: 'inet', table: 't', name: 'c' });
    return { ns, c };
  }

  it(`${COMMANDS} commands, each acked, with buffers sized from the batch: one datagram, every ack received`, async () => {
    const { ns, c } = await prepared();
    const result = await c.apply(portRules(COMMANDS), { ack: 'each' });
    expect(result.status).toBe('committed');
    expect(result.commands.filter((x) => x.status === 'acked')).toHaveLength(COMMANDS);
    expect(countRules(ns)).toBe(COMMANDS);
    const t = c.connection.transport as SocketTransport;
    expect(t.getOption(SOL_SOCKET, SocketSockopt.SO_RCVBUF)).toBeGreaterThanOrEqual(COMMANDS * 1024);
  }, T);

  it(`${COMMANDS} commands with a small receive buffer: acks overrun, the ruleset shows the commit`, async () => {
    const { ns, c } = await prepared({ receiveBuffer: 16 * 1024, sendBuffer: 4 * 1024 * 1024 });
    const overrunsBefore = c.connection.stats.overruns;
    const result = await c.apply(portRules(COMMANDS), { ack: 'each', autosizeBuffers: false });
    expect(c.connection.stats.overruns).toBeGreaterThan(overrunsBefore);
    expect(result.status).toBe('committed-after-verification');
    expect(result.commands).toHaveLength(COMMANDS);
    expect(countRules(ns)).toBe(COMMANDS);
  }, T);

  it('a small batch on an idle connection sends no generation read before it; a batch whose replies may not fit does', async () => {
    const { c } = await prepared();
    const t = c.connection.transport as SocketTransport;
    const types: number[] = [];
    const send = t.send.bind(t);
    t.send = (parts) => {
      const first = parts[0]!;
      types.push(first[4]! | (first[5]! << 8));
      send(parts);
    };
    await c.apply(portRules(3));
    expect(types).toEqual([NFNL_MSG_BATCH_BEGIN]);
    types.length = 0;
    // 2,000 commands could bring 2,000 error replies: more than the receive buffer holds.
    await c.apply(portRules(COMMANDS));
    expect(types[0]).toBe(NFT_MSG_GETGEN);
  }, T);

  it('a failing command inside an overrun batch is still a failure', async () => {
    const { ns, c } = await prepared({ receiveBuffer: 16 * 1024, sendBuffer: 4 * 1024 * 1024 });
    const commands = portRules(COMMANDS);
    commands.push(addRule({ family: 'inet', table: 't', chain: 'missing', expressions: [] }));
    const err = await c.apply(commands, { ack: 'each', autosizeBuffers: false }).catch((e) => e);
    expect(err.name).toBe('NftBatchError');
    expect(countRules(ns)).toBe(0);
  }, T);
});
