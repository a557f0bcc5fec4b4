/**
 * The monitor joins NFNLGRP_NFTABLES and turns notifications into typed events: object
 * changes, the generation that ends each transaction (with who committed it), and overruns.
 */
import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { encodeMessage } from '../../../src/netlink/message.js';
import { FakeKernel } from '../../../src/netlink/testing/index.js';
import { Writer } from '../../../src/netlink/writer.js';
import { NfnlGroup, NftMsg } from '../../../src/nft/constants.js';
import { decodeNftEvent, NftMonitor } from '../../../src/nft/monitor.js';
import { nftMessageType } from '../../../src/nft/nfgenmsg.js';
import { netfilterMessageCodec } from '../../../src/nft/protocol.js';
import { parseDatagram } from '../../../src/netlink/message.js';

const GROUP_BIT = 1 << (NfnlGroup.NFNLGRP_NFTABLES - 1);

function notification(msg: number, family: 'ip' | 'unspec', attributes: object, pid = 4242, seq = 7): Uint8Array {
  const type = nftMessageType(msg);
  const w = new Writer();
  netfilterMessageCodec(type)!.encode(w, { family, version: 0, resId: 3, attributes }, 0);
  return encodeMessage({ type, flags: 0, seq, pid }, w.finish());
}

describe('decodeNftEvent', () => {
  it('object changes', () => {
    const [m] = parseDatagram(notification(NftMsg.NFT_MSG_NEWRULE, 'ip', { table: 'nat', chain: 'post', handle: 5n, expressions: [{ type: 'counter' }] }));
    expect(decodeNftEvent(m!)).toMatchObject({ kind: 'rule', op: 'new', family: 'ip', attributes: { table: 'nat', handle: 5n } });
    const [d] = parseDatagram(notification(NftMsg.NFT_MSG_DELTABLE, 'ip', { name: 'nat' }));
    expect(decodeNftEvent(d!)).toMatchObject({ kind: 'table', op: 'delete', attributes: { name: 'nat' } });
    const [e] = parseDatagram(notification(NftMsg.NFT_MSG_NEWSETELEM, 'ip', { table: 'nat', set: 's', elements: [] }));
    expect(decodeNftEvent(e!)).toMatchObject({ kind: 'element', op: 'new' });
  });

  it('the generation that closes a transaction names the committing port and process', () => {
    const [m] = parseDatagram(notification(NftMsg.NFT_MSG_NEWGEN, 'unspec', { id: 12, procPid: 999, procName: 'nft' }, 31337));
    expect(decodeNftEvent(m!)).toMatchObject({ kind: 'generation', generation: 12, port: 31337, pid: 999, process: 'nft' });
  });

  it('other subsystems are unknown, not errors', () => {
    const [m] = parseDatagram(encodeMessage({ type: 0x0100, flags: 0, seq: 0 }, new Uint8Array(4)));
    expect(decodeNftEvent(m!).kind).toBe('unknown');
  });
});

describe('NftMonitor', () => {
  it('joins the group and yields events in order, with overruns', async () => {
    const kernel = new FakeKernel();
    const monitor = new NftMonitor(new Connection(kernel));
    expect(kernel.memberships.has(NfnlGroup.NFNLGRP_NFTABLES)).toBe(true);
    kernel.inject(notification(NftMsg.NFT_MSG_NEWTABLE, 'ip', { name: 'nat' }), { groups: GROUP_BIT });
    kernel.inject(notification(NftMsg.NFT_MSG_NEWGEN, 'unspec', { id: 2 }), { groups: GROUP_BIT });
    const seen: string[] = [];
    for await (const e of monitor) {
      seen.push(e.kind);
      if (e.kind === 'generation') {
        kernel.overrun(false);
      } else if (e.kind === 'overrun') {
        monitor.close();
      }
    }
    expect(seen).toEqual(['table', 'generation', 'overrun']);
  });

  it('subscribes to traces on request', () => {
    const kernel = new FakeKernel();
    new NftMonitor(new Connection(kernel), { trace: true });
    expect(kernel.memberships.has(NfnlGroup.NFNLGRP_NFTRACE)).toBe(true);
  });
});
