/**
 * dumpDecoded (src/netlink/dump-decoded.ts): a short dump is decoded once it has ended, a long
 * one as its datagrams come (each decoded when the next arrives). Either way the listing is
 * every reply once, in order, and a restart forgets what the interrupted attempt gave.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Connection, type BodyDumpOptions } from '../../../src/netlink/connection.js';
import { DumpInterruptedError } from '../../../src/netlink/errors.js';
import { READ_AHEAD_AFTER_BYTES } from '../../../src/netlink/socket-transport.js';
import { listRules } from '../../../src/nft/reader.js';
import { FakeNftables } from '../nft/fake-nftables.js';

/** `count` rules, one datagram each in the fake: 2,000 are well past READ_AHEAD_AFTER_BYTES. */
function withRules(count: number) {
  const nft = new FakeNftables();
  nft.state.tables.push({ family: 'ip', name: 'nat', handle: 1n });
  nft.state.chains.push({ family: 'ip', table: 'nat', name: 'pre', handle: 2n });
  for (let i = 0; i < count; i++) {
    nft.state.rules.push({ family: 'ip', table: 'nat', chain: 'pre', handle: BigInt(10 + i), expressions: [{ type: 'counter', bytes: BigInt(i), packets: 0n }] });
  }
  let bytes = 0;
  const conn = new Connection(nft.kernel, { trace: (dir, data) => void (dir === 'receive' && (bytes += data.length)) });
  return { nft, conn, received: () => bytes };
}

describe('dumpDecoded', () => {
  for (const count of [3, 2000]) {
    it(`lists every reply once, in order, after a restart (${count} rules)`, async () => {
      const { nft, conn, received } = withRules(count);
      let dumps = 0;
      // The first attempt is interrupted (NLM_F_DUMP_INTR); the connection dumps again.
      nft.interruptDumps = () => dumps++ === 0;
      const rules = await listRules(conn);
      expect(dumps).toBe(2);
      expect(rules.map((r) => r.handle)).toEqual(nft.state.rules.map((r) => r.handle));
      expect(rules.map((r) => r.expressions?.[0])).toEqual(nft.state.rules.map((r) => r.expressions[0]));
      if (count > 3) expect(received() / 2).toBeGreaterThan(READ_AHEAD_AFTER_BYTES); // decoded as they came
    });

    it(`an interrupted dump's error holds its last attempt, typed and whole (${count} rules)`, async () => {
      const { nft, conn } = withRules(count);
      nft.interruptDumps = () => true;
      const err = await listRules(conn).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DumpInterruptedError);
      nft.interruptDumps = undefined;
      expect((err as DumpInterruptedError).partial).toEqual(await listRules(conn));
    });
  }

  it('leaves nothing the dump kept able to reach the listing it returned', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { conn } = withRules(2000);
    // Keep the options handed to the dump, as the connection's machinery may for a while.
    const kept: BodyDumpOptions[] = [];
    const dump = conn.dump.bind(conn) as (request: unknown, options: BodyDumpOptions) => Promise<unknown>;
    (conn as unknown as { dump: typeof dump }).dump = (request, options) => {
      kept.push(options);
      return dump(request, options);
    };
    const listed = async (): Promise<WeakRef<object>> => new WeakRef(await listRules(conn));
    const result = await listed();
    expect(kept).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 0)); // WeakRef targets live until the current job ends
    gc();
    expect(result.deref()).toBeUndefined();
  });
});
