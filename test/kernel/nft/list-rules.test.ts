/**
 * NftClient.listRules against the real kernel, with `nft -a -j list ruleset` as the oracle: the
 * same rules (family, table, chain, handle) for every filter, including the ones the kernel
 * applies (family, table, table + chain) and the one it does not (a chain alone).
 */
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { describeKernel, guardThreadNetns } from '../sandbox.js';
import { nft, nftScratch, of } from './nft-sandbox.js';

const T = 30_000;

const RULESET = `
table ip t {
  chain a { tcp dport 22 accept; counter; }
  chain b { udp dport 53 drop; }
}
table inet t {
  chain a { ct state established accept; }
}
table ip u {
  chain a { ip saddr 10.0.0.1 drop; }
  chain b { }
}
`;

describeKernel('listing rules alone', () => {
  guardThreadNetns();
  const scratch = nftScratch();

  it('lists what nft lists, for each filter', async () => {
    const ns = scratch.netns();
    execFileSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: RULESET });
    const json = JSON.parse(nft(ns, '-a', '-j', 'list', 'ruleset')) as { nftables: Record<string, any>[] };
    const oracle = of(json.nftables, 'rule').map((r) => ({ family: r.family, table: r.table, chain: r.chain, handle: BigInt(r.handle) }));
    expect(oracle).toHaveLength(5);
    const client = scratch.client(ns);
    const key = (r: { family: string | number; table?: string; chain?: string; handle?: bigint }) => `${r.family} ${r.table} ${r.chain} ${r.handle}`;
    const filters: Array<[Parameters<typeof client.listRules>[0], (r: (typeof oracle)[number]) => boolean]> = [
      [{}, () => true],
      [{ family: 'ip' }, (r) => r.family === 'ip'],
      [{ family: 'ip', table: 't' }, (r) => r.family === 'ip' && r.table === 't'],
      [{ family: 'ip', table: 't', chain: 'b' }, (r) => r.family === 'ip' && r.table === 't' && r.chain === 'b'],
      [{ table: 't' }, (r) => r.table === 't'],
      [{ chain: 'a' }, (r) => r.chain === 'a'],
    ];
    for (const [filter, keep] of filters) {
      const listed = await client.listRules(filter);
      expect(listed.map(key).sort(), JSON.stringify(filter)).toEqual(oracle.filter(keep).map(key).sort());
    }
    // A table name without a family is every family's table of that name (a kernel dump
    // filtered by table stops after the first one), in listRuleset too.
    const named = await client.listRuleset({ table: 't' });
    expect(named.tables.map((t) => `${t.family} ${t.name}`).sort()).toEqual(['inet t', 'ip t']);
    expect(named.rules.map(key).sort()).toEqual(oracle.filter((r) => r.table === 't').map(key).sort());
    // Decoded whole, as listRuleset decodes them.
    const snapshot = await client.listRuleset({ family: 'ip', table: 't' });
    expect(await client.listRules({ family: 'ip', table: 't' })).toEqual(snapshot.rules);
    expect(snapshot.rules[0]!.expressions!.length).toBeGreaterThan(2);
  }, T);
});
