/**
 * A table with the owner flag lives exactly as long as the netlink socket that created it, and
 * no other socket may change it.
 */
import { expect, it } from 'vitest';
import { NftBatchError } from '../../../src/nft/batch-errors.js';
import { describeKernel, guardThreadNetns } from '../sandbox.js';
import { nft, nftScratch } from './nft-sandbox.js';

const T = 30_000;

describeKernel('owner tables', () => {
  guardThreadNetns();
  const scratch = nftScratch();

  it('disappears when its connection closes, and only its owner may change it', async () => {
    const ns = scratch.netns();
    const owner = scratch.client(ns);
    const other = scratch.client(ns);
    await owner.addTable({ family: 'inet', name: 'mine', flags: ['owner'] });
    await owner.addChain({ family: 'inet', table: 'mine', name: 'in', type: 'filter', hook: 'input', priority: 0 });
    expect(nft(ns, 'list', 'tables')).toMatch(/table inet mine/);
    const listed = await other.listRuleset();
    const table = listed.tables.find((t) => t.name === 'mine');
    expect(table?.flags).toEqual(['owner']);
    expect(table?.owner).toBe(owner.connection.port);

    const err = await other.addChain({ family: 'inet', table: 'mine', name: 'intruder' }).catch((e) => e);
    expect(err).toBeInstanceOf(NftBatchError);
    expect(err.firstFailure.error.code).toBe('EPERM');

    owner.close();
    expect(nft(ns, 'list', 'tables')).not.toMatch(/mine/);
    expect((await other.listRuleset()).tables).toEqual([]);
  }, T);
});
