/**
 * The plugin's two tables (inet: NAT rules; bridge: MAC checks) read as one snapshot: the
 * table list and every listing at one generation, read again when a commit lands in between
 * (or a table appears), a missing table told by the list alone, and a typed error when commits
 * never stop.
 */
import { describe, expect, it } from 'vitest';
import { readTables } from '../../../src/cni/netfilter.js';
import { Connection } from '../../../src/netlink/connection.js';
import { NftMsg } from '../../../src/nft/constants.js';
import { RulesetChangedError } from '../../../src/nft/reader.js';
import { FakeNftables } from '../nft/fake-nftables.js';

const TABLE = 'netns-ts-cni';

function withBothTables() {
  const nft = new FakeNftables();
  nft.state.tables.push({ family: 'inet', name: TABLE, handle: nft.handle() }, { family: 'bridge', name: TABLE, handle: nft.handle() });
  nft.state.chains.push({ family: 'inet', table: TABLE, name: 'postrouting', handle: nft.handle() }, { family: 'bridge', table: TABLE, name: 'prerouting', handle: nft.handle() });
  // Someone else's table of the same family: not ours.
  nft.state.tables.push({ family: 'inet', name: 'filter', handle: nft.handle() });
  return { nft, conn: new Connection(nft.kernel) };
}

describe("reading the plugin's tables", () => {
  it('gives both tables, and nothing else, at the generation they were read at', async () => {
    const { nft, conn } = withBothTables();
    const s = await readTables(conn);
    expect(s.generation).toBe(nft.generation);
    expect(s.tables.map((t) => `${t.family} ${t.name}`)).toEqual([`inet ${TABLE}`, `bridge ${TABLE}`]);
    expect(s.chains.map((c) => `${c.family} ${c.name}`)).toEqual(['inet postrouting', 'bridge prerouting']);
  });

  it('tells a missing table from the table list alone, listing nothing of its family', async () => {
    const { nft, conn } = withBothTables();
    nft.state.tables = nft.state.tables.filter((t) => t.family !== 'bridge');
    nft.state.chains = nft.state.chains.filter((c) => c.family !== 'bridge');
    const s = await readTables(conn);
    expect(s.tables.map((t) => `${t.family} ${t.name}`)).toEqual([`inet ${TABLE}`]);
    expect(s.generation).toBe(nft.generation);
    // nfgenmsg's first byte is the family (NFPROTO_BRIDGE 7): nothing asked of the bridge family.
    expect(nft.kernel.received.filter((m) => m.payload[0] === 7)).toEqual([]);
  });

  it('reads a table that appears between the look and the listing', async () => {
    const { nft, conn } = withBothTables();
    const bridge = nft.state.tables.splice(1, 1)[0]!;
    let looked = false;
    nft.onDump = (msg) => {
      // Right after the table list (of every family: NFPROTO_UNSPEC 0) said "no bridge table",
      // an ADD of a macspoofchk network commits it.
      if (msg === NftMsg.NFT_MSG_GETTABLE && nft.kernel.received.at(-1)!.payload[0] === 0 && !looked) {
        looked = true;
        queueMicrotask(() => nft.concurrentCommit((st) => st.tables.push(bridge)));
      }
    };
    const s = await readTables(conn);
    expect(s.generation).toBe(nft.generation);
    expect(s.tables.map((t) => t.family)).toEqual(['inet', 'bridge']);
  });

  it('reads everything again when a commit lands after the table list', async () => {
    const { nft, conn } = withBothTables();
    let tableDumps = 0;
    nft.onDump = (msg) => {
      // The second table dump is the inet table's listing: another writer commits just before it.
      if (msg === NftMsg.NFT_MSG_GETTABLE && ++tableDumps === 2) {
        nft.concurrentCommit((st) => st.chains.push({ family: 'inet', table: TABLE, name: 'cni-0123456789abcdef', handle: 77n }));
      }
    };
    const s = await readTables(conn);
    expect(s.generation).toBe(nft.generation);
    expect(s.chains.map((c) => c.name)).toContain('cni-0123456789abcdef');
    expect(tableDumps).toBeGreaterThan(2);
  });

  it('gives up with RulesetChangedError when every attempt sees a commit in between', async () => {
    const { nft, conn } = withBothTables();
    let tableDumps = 0;
    nft.onDump = (msg) => {
      if (msg === NftMsg.NFT_MSG_GETTABLE && ++tableDumps % 2 === 0) nft.concurrentCommit();
    };
    await expect(readTables(conn)).rejects.toBeInstanceOf(RulesetChangedError);
  });
});
