/**
 * The reader lists the ruleset as one snapshot: the generation is read before and after the
 * dumps and the listing repeated, a bounded number of times, while it moves.
 */
import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { NftMsg } from '../../../src/nft/constants.js';
import { nftMessageType } from '../../../src/nft/nfgenmsg.js';
import { listRuleset, readGeneration, RulesetChangedError } from '../../../src/nft/reader.js';
import { FakeNftables } from './fake-nftables.js';

function populated() {
  const nft = new FakeNftables();
  nft.state.tables.push({ family: 'ip', name: 'nat', handle: 1n }, { family: 'inet', name: 'filter', handle: 2n });
  nft.state.chains.push({ family: 'ip', table: 'nat', name: 'post', handle: 3n });
  nft.state.rules.push({ family: 'ip', table: 'nat', chain: 'post', handle: 4n, expressions: [{ type: 'counter', bytes: 0n, packets: 0n }], userdata: [{ type: 'comment', value: 'x' }] });
  nft.state.sets.push({ family: 'inet', table: 'filter', name: 'blocked', handle: 5n, elements: [{ key: { value: Uint8Array.of(192, 0, 2, 1) } }] });
  return { nft, conn: new Connection(nft.kernel) };
}

const getgens = (nft: FakeNftables) => nft.kernel.received.filter((m) => m.type === nftMessageType(NftMsg.NFT_MSG_GETGEN)).length;

describe('listRuleset', () => {
  it('lists tables, chains, rules, sets with elements, tagged with family and generation', async () => {
    const { nft, conn } = populated();
    const r = await listRuleset(conn);
    expect(r.generation).toBe(nft.generation);
    expect(r.tables.map((t) => [t.family, t.name])).toEqual([['ip', 'nat'], ['inet', 'filter']]);
    expect(r.chains).toMatchObject([{ family: 'ip', table: 'nat', name: 'post', handle: 3n }]);
    expect(r.rules).toMatchObject([{ family: 'ip', chain: 'post', handle: 4n, expressions: [{ type: 'counter' }], userdata: [{ type: 'comment', value: 'x' }] }]);
    expect(r.sets[0]!.elements).toEqual([{ key: { value: Uint8Array.of(192, 0, 2, 1) } }]);
    expect(getgens(nft)).toBe(2);
  });

  it('skips element dumps on request, and filters by table', async () => {
    const { nft, conn } = populated();
    const r = await listRuleset(conn, { family: 'inet', table: 'filter', elements: false });
    expect(r.tables.map((t) => t.name)).toEqual(['filter']);
    expect(r.rules).toEqual([]);
    expect(r.sets[0]!.elements).toBeUndefined();
    expect(nft.kernel.received.some((m) => m.type === nftMessageType(NftMsg.NFT_MSG_GETSETELEM))).toBe(false);
  });

  it('lists again when another writer committed during the listing', async () => {
    const { nft, conn } = populated();
    let moved = false;
    nft.onDump = (msg) => {
      if (msg === NftMsg.NFT_MSG_GETRULE && !moved) {
        moved = true;
        nft.concurrentCommit((s) => s.tables.push({ family: 'ip6', name: 'late', handle: 9n }));
      }
    };
    const r = await listRuleset(conn);
    expect(r.generation).toBe(nft.generation);
    // The second listing sees the late table; the first (inconsistent) one was thrown away.
    expect(r.tables.map((t) => t.name)).toContain('late');
    expect(getgens(nft)).toBe(4);
  });

  it('gives up after the given number of attempts when the ruleset never holds still', async () => {
    const { nft, conn } = populated();
    nft.onDump = (msg) => {
      if (msg === NftMsg.NFT_MSG_GETCHAIN) nft.concurrentCommit();
    };
    const err = await listRuleset(conn, { attempts: 3 }).catch((e) => e);
    expect(err).toBeInstanceOf(RulesetChangedError);
    expect(err.attempts).toBe(3);
    expect(getgens(nft)).toBe(6);
  });

  it('reads the generation', async () => {
    const { nft, conn } = populated();
    nft.concurrentCommit();
    await expect(readGeneration(conn)).resolves.toBe(2);
  });
});
