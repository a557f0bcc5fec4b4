/**
 * A dump of 1000+ links spans dozens of datagrams: every link must come back, typed, exactly
 * as `ip -j link` lists them. The test also prints how long the raw dump and the typed listing
 * take (information for the benchmark, not an assertion: timings depend on the machine).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Connection } from '../../../src/netlink/connection.js';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { dumpLinksRequest, toOutgoing } from '../../../src/route/link-requests.js';
import { Links } from '../../../src/route/links.js';
import { describeKernel, guardThreadNetns, randomName } from '../sandbox.js';

const PAIRS = 500;
const ROUNDS = 15;
const RECEIVE_BUFFER = 8 << 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

describeKernel('listing 1000 links', () => {
  guardThreadNetns();
  const ns = randomName('scale');
  let conn: Connection;

  beforeAll(() => {
    createNetns(ns);
    const batch = Array.from({ length: PAIRS }, (_, i) => `link add p${i}a type veth peer name p${i}b`).join('\n');
    execFileSync('ip', ['-n', ns, '-batch', '-'], { input: batch });
    conn = connectInNetns(ns, { receiveBuffer: RECEIVE_BUFFER });
  });
  afterAll(() => {
    conn?.close();
    deleteNetns(ns);
  });

  it('returns every link, typed, as ip lists them', async () => {
    const links = new Links(conn);
    const listed = await links.list();
    const ip = JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'link'], { encoding: 'utf8', maxBuffer: 1 << 26 })) as Array<{ ifindex: number; ifname: string; mtu: number }>;
    expect(listed.length).toBe(PAIRS * 2 + 1);
    expect(listed.map((l) => [l.index, l.name, l.mtu])).toEqual(ip.map((l) => [l.ifindex, l.ifname, l.mtu]));
    expect(listed.filter((l) => l.kind === 'veth').length).toBe(PAIRS * 2);
    expect(typeof listed.at(-1)!.stats?.txBytes).toBe('bigint');

    const raw = toOutgoing(dumpLinksRequest());
    const time = async (run: () => Promise<unknown>): Promise<number> => {
      const start = process.hrtime.bigint();
      await run();
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const rawTimes: number[] = [];
    const typedTimes: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      rawTimes.push(await time(() => conn.dump(raw)));
      typedTimes.push(await time(() => links.list()));
    }
    const ipTimes: number[] = [];
    for (let i = 0; i < 5; i++) ipTimes.push(await time(async () => execFileSync('ip', ['-n', ns, '-j', 'link'], { maxBuffer: 1 << 26 })));
    console.log(
      `[netns-ts] ${listed.length} links: raw dump ${median(rawTimes).toFixed(1)} ms, dump + typed Links ${median(typedTimes).toFixed(1)} ms ` +
        `(${(median(typedTimes) / median(rawTimes)).toFixed(2)}x), ip -j link ${median(ipTimes).toFixed(1)} ms (medians of ${ROUNDS})`,
    );
  }, 120_000);
});
