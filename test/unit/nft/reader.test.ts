/**
 * The reader lists the ruleset as one snapshot: the generation is read before and after the
 * dumps and the listing repeated, a bounded number of times, while it moves.
 */
import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { NftMsg } from '../../../src/nft/constants.js';
import { nftMessageType } from '../../../src/nft/nfgenmsg.js';
import { DumpInterruptedError, ValidationError } from '../../../src/netlink/errors.js';
import { netfilterMessageCodec } from '../../../src/nft/protocol.js';
import { listRules, listRuleset, listTables, readGeneration, RulesetChangedError, type RulesetRule } from '../../../src/nft/reader.js';
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

describe('listTables', () => {
  it('lists the tables alone, of every family or of one, in one dump', async () => {
    const { nft, conn } = populated();
    expect((await listTables(conn)).map((t) => [t.family, t.name, t.handle])).toEqual([['ip', 'nat', 1n], ['inet', 'filter', 2n]]);
    expect((await listTables(conn, { family: 'inet' })).map((t) => t.name)).toEqual(['filter']);
    expect(nft.sentTypes()).toEqual([nftMessageType(NftMsg.NFT_MSG_GETTABLE), nftMessageType(NftMsg.NFT_MSG_GETTABLE)]);
  });
});

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

describe('listRules', () => {
  function withRules() {
    const { nft, conn } = populated();
    nft.state.rules.push(
      { family: 'ip', table: 'nat', chain: 'pre', handle: 6n, expressions: [{ type: 'meta', key: 'l4proto', dreg: 1 }, { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(6) } }] },
      { family: 'inet', table: 'filter', chain: 'post', handle: 7n, expressions: [] },
      { family: 'inet', table: 'nat', chain: 'post', handle: 8n, expressions: [] },
    );
    return { nft, conn };
  }
  const ids = (rules: RulesetRule[]) => rules.map((r) => `${r.family} ${r.table} ${r.chain} ${r.handle}`);
  const dumpRequests = (nft: FakeNftables) => nft.kernel.received.filter((m) => m.type === nftMessageType(NftMsg.NFT_MSG_GETRULE));

  it('is one rule dump (no generation reads), every rule decoded with its family', async () => {
    const { nft, conn } = withRules();
    const rules = await listRules(conn);
    expect(ids(rules)).toEqual(['ip nat post 4', 'ip nat pre 6', 'inet filter post 7', 'inet nat post 8']);
    expect(rules[1]).toEqual({ family: 'ip', table: 'nat', chain: 'pre', handle: 6n, expressions: [{ type: 'meta', key: 'l4proto', dreg: 1 }, { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(6) } }] });
    expect(dumpRequests(nft)).toHaveLength(1);
    expect(getgens(nft)).toBe(0);
  });

  it('asks the kernel for the table and chain, and keeps only theirs whatever it answers', async () => {
    // The fake answers every rule, as a kernel that ignores a filter would.
    const { nft, conn } = withRules();
    expect(ids(await listRules(conn, { family: 'ip', table: 'nat', chain: 'pre' }))).toEqual(['ip nat pre 6']);
    const sent = netfilterMessageCodec(dumpRequests(nft)[0]!.type)!.decode(dumpRequests(nft)[0]!.payload, 0, 16) as { family: string; attributes: object };
    expect(sent).toMatchObject({ family: 'ip', attributes: { table: 'nat', chain: 'pre' } });
    expect(ids(await listRules(conn, { table: 'nat' }))).toEqual(['ip nat post 4', 'ip nat pre 6', 'inet nat post 8']);
    // The kernel filters chains only within a named table: a chain alone is filtered here.
    expect(ids(await listRules(conn, { chain: 'post' }))).toEqual(['ip nat post 4', 'inet filter post 7', 'inet nat post 8']);
    expect(ids(await listRules(conn, { family: 'inet', table: 'filter' }))).toEqual(['inet filter post 7']);
  });

  it('refuses a bad filter before sending anything', async () => {
    const { nft, conn } = withRules();
    await expect(listRules(conn, { family: 'bogus' as never })).rejects.toBeInstanceOf(ValidationError);
    await expect(listRules(conn, { family: 'ip', table: 5 as never })).rejects.toBeInstanceOf(ValidationError);
    expect(nft.kernel.received).toHaveLength(0);
  });

  it('an interrupted dump reports the last attempt\'s rules, typed', async () => {
    const { nft, conn } = withRules();
    nft.interruptDumps = () => true;
    const err = await listRules(conn).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DumpInterruptedError);
    nft.interruptDumps = undefined;
    expect((err as DumpInterruptedError).partial).toEqual(await listRules(conn));
  });
});
