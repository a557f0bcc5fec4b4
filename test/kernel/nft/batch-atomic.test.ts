/**
 * A batch is all or nothing in the real kernel: one bad command leaves the ruleset exactly as
 * it was (per `nft -j list ruleset`), and the error names that command and the kernel's reason.
 */
import { expect, it } from 'vitest';
import { NftBatchError } from '../../../src/nft/batch-errors.js';
import { addChain } from '../../../src/nft/chain-commands.js';
import { addRule } from '../../../src/nft/rule-commands.js';
import { addElements, addSet } from '../../../src/nft/set-commands.js';
import { addTable } from '../../../src/nft/table-commands.js';
import { describeKernel, guardThreadNetns } from '../sandbox.js';
import { nft, nftJson, nftScratch } from './nft-sandbox.js';

const T = 30_000;

describeKernel('batches are atomic', () => {
  guardThreadNetns();
  const scratch = nftScratch();

  it('one bad command: nothing changes, and the failure names the command, errno and attribute', async () => {
    const ns = scratch.netns();
    const c = scratch.client(ns);
    nft(ns, 'add', 'table', 'ip', 'keep');
    nft(ns, 'add', 'chain', 'ip', 'keep', 'c');
    const before = nftJson(ns);
    const err = await c.apply([
      addTable({ family: 'ip', name: 'nat' }),
      addChain({ family: 'ip', table: 'nat', name: 'POSTROUTING', type: 'nat', hook: 'postrouting', priority: 'srcnat' }),
      addRule({ family: 'ip', table: 'nat', chain: 'POSTROUTING', expressions: [{ type: 'counter' }] }),
      addRule({ family: 'ip', table: 'nat', chain: 'NOPE', expressions: [{ type: 'counter' }] }),
      addSet({ family: 'ip', table: 'nat', name: 's', key: 'ipv4_addr' }),
      // Every command asks for an ack: the kernel acks the four good ones, which must not count.
    ], { ack: 'each' }).catch((e) => e);
    expect(err).toBeInstanceOf(NftBatchError);
    expect(err.failures).toHaveLength(1);
    expect(err.firstFailure.index).toBe(3);
    expect(err.firstFailure.description).toBe('add rule ip nat NOPE');
    expect(err.firstFailure.error.code).toBe('ENOENT');
    // The kernel's extack points at NFTA_RULE_CHAIN, recovered as an attribute name.
    expect(err.firstFailure.error.attribute).toBe('chain');
    expect(err.message).toMatch(/^batch not applied: command 3 \(add rule ip nat NOPE\) failed: ENOENT/);
    expect(nftJson(ns)).toEqual(before);
  }, T);

  it('the attribute the kernel points at (extack offset) is named: an element of the wrong length', async () => {
    const ns = scratch.netns();
    const c = scratch.client(ns);
    await c.addTable({ family: 'ip', name: 't' });
    await c.addSet({ family: 'ip', table: 't', name: 's', key: 'ipv4_addr' });
    const before = nftJson(ns);
    // An element of the wrong key length.
    const err = await c.apply([
      addChain({ family: 'ip', table: 't', name: 'fine' }),
      addElements({ family: 'ip', table: 't', name: 's', key: 'inet_service', elements: [{ key: 80 }] }),
    ]).catch((e) => e);
    expect(err).toBeInstanceOf(NftBatchError);
    expect(err.firstFailure.index).toBe(1);
    expect(err.firstFailure.error.code).toBe('EINVAL');
    expect(err.firstFailure.error.attribute).toBe('elements.element[0]');
    expect(nftJson(ns)).toEqual(before);
  }, T);

  it('several bad commands are all reported, in order', async () => {
    const ns = scratch.netns();
    const c = scratch.client(ns);
    const err = await c.apply([
      addChain({ family: 'ip', table: 'missing1', name: 'a' }),
      addTable({ family: 'ip', name: 'ok' }),
      addChain({ family: 'ip', table: 'missing2', name: 'b' }),
    ]).catch((e) => e);
    expect(err.failures.map((f: { index: number; description: string }) => [f.index, f.description])).toEqual([
      [0, 'add chain ip missing1 a'],
      [2, 'add chain ip missing2 b'],
    ]);
    expect(nftJson(ns)).toEqual([]);
  }, T);
});
