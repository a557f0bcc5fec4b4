/**
 * The benchmark harness's pure parts (bench/lib): medians and ratios, the command line, the
 * chart, and that the C floor and the pyroute2 script use the same names and numbers as
 * bench/lib/plan.mjs (they cannot import it, so this test keeps them in step).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const lib = (name: string): Promise<any> => import(new URL(`../../bench/lib/${name}`, import.meta.url).href);
const benchFile = (path: string): string => readFileSync(new URL(`../../bench/${path}`, import.meta.url), 'utf8');

describe('bench stats', () => {
  it('takes the median of odd and even counts', async () => {
    const { median } = await lib('stats.mjs');
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });

  it('gives ratios to the fastest contender and to netns-ts, none for unmeasured ones', async () => {
    const { summarisePoint } = await lib('stats.mjs');
    const rows = summarisePoint([
      { contender: 'floor', status: 'ok', runs: [{ ms: 10 }, { ms: 12 }, { ms: 11 }] },
      { contender: 'netns-ts', status: 'ok', runs: [{ ms: 22 }] },
      { contender: 'shell', status: 'unsupported', runs: [] },
    ]);
    const by = Object.fromEntries(rows.map((r: any) => [r.contender, r]));
    expect(by.floor.median).toBe(11);
    expect(by.floor.toFastest).toBe(1);
    expect(by.floor.toNetnsTs).toBe(0.5);
    expect(by['netns-ts'].toFastest).toBe(2);
    expect(by.shell.median).toBeUndefined();
    expect(by.shell.toFastest).toBeUndefined();
  });

  it('leaves the netns-ts ratio out when netns-ts was not measured', async () => {
    const { summarisePoint } = await lib('stats.mjs');
    const rows = summarisePoint([{ contender: 'floor', status: 'ok', runs: [{ ms: 3 }] }]);
    expect(rows[0].toNetnsTs).toBeUndefined();
  });
});

describe('bench command line', () => {
  it('parses workloads, sizes and repetitions', async () => {
    const { parseArgs } = await lib('args.mjs');
    const o = parseArgs(['--quick', '--only', 'dumps,nft', '--sizes', '1,10', '--reps', '2', '--no-write']);
    expect(o).toMatchObject({ quick: true, only: ['dumps', 'nft'], sizes: [1, 10], reps: 2, write: false });
  });

  it('rejects unknown workloads, bad sizes and unknown options', async () => {
    const { parseArgs } = await lib('args.mjs');
    expect(() => parseArgs(['--only', 'bogus'])).toThrow(/unknown workload bogus/);
    expect(() => parseArgs(['--sizes', '0'])).toThrow(/bad size 0/);
    expect(() => parseArgs(['--sizes', '1.5'])).toThrow(/bad size/);
    expect(() => parseArgs(['--reps'])).toThrow(/--reps/);
    expect(() => parseArgs(['--frobnicate'])).toThrow(/unknown option/);
  });
});

describe('bench chart', () => {
  it('draws one line per measured contender and panel, and escapes labels', async () => {
    const { topologyChart } = await lib('svg.mjs');
    const entry = (contender: string, label: string, ms: number) => ({ contender, label, status: 'ok', runs: [{ ms }] });
    const points = [1, 10, 100].flatMap((n) => ['setup', 'teardown'].map((phase) => ({
      workload: 'topology',
      phase,
      size: n,
      entries: [entry('floor', 'C <floor>', n), entry('shell', 'shell', 50 * n), { contender: 'netns-ts', label: 'netns-ts', status: 'unsupported', runs: [] }],
    })));
    const svg: string = topologyChart(points, 'test machine');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(4);
    expect(svg.match(/<circle /g)).toHaveLength(12);
    expect(svg).toContain('C &lt;floor&gt;');
    expect(svg).not.toContain('C <floor>');
    expect(svg).toContain('test machine');
  });
});

describe('bench plan', () => {
  it('numbers namespaces and rules as the floor and pyroute2 do', async () => {
    const plan = await lib('plan.mjs');
    expect(plan.topoAddr(0)).toBe('10.200.0.2');
    expect(plan.topoAddr(254)).toBe('10.200.1.0');
    expect(plan.natAddr(9999)).toBe('10.201.39.15');
    expect(plan.dnatPort(0)).toBe(10000);
    expect(plan.topologyEntries(2).map((e: any) => e.netns)).toEqual(['bench-ns-0', 'bench-ns-1']);
  });

  it('agrees with bench/floor/floor.h', async () => {
    const plan = await lib('plan.mjs');
    const header = benchFile('floor/floor.h');
    const define = (name: string): string => header.match(new RegExp(`#define ${name} "?([^"\\n]+)"?`))?.[1] ?? `missing ${name}`;
    expect(define('BRIDGE_NAME')).toBe(plan.BRIDGE);
    expect(define('BRIDGE_ADDR')).toBe(plan.BRIDGE_ADDR);
    expect(define('PEER_NAME')).toBe(plan.PEER);
    expect(Number(define('TOPO_PREFIXLEN'))).toBe(plan.PREFIXLEN);
    expect(Number(define('TOPO_GROUP'))).toBe(plan.GROUP);
    expect(define('TOPO_TABLE')).toBe(plan.TOPO_TABLE);
    expect(define('NAT_TABLE')).toBe(plan.NAT_TABLE);
    expect(Number(define('DNAT_TO_PORT'))).toBe(plan.DNAT_TO_PORT);
    expect(Number(define('DNAT_FIRST_PORT'))).toBe(plan.DNAT_FIRST_PORT);
    expect(`${define('NS_PREFIX')}7`).toBe(plan.nsName(7));
    expect(`${define('VETH_PREFIX')}7`).toBe(plan.vethName(7));
  });

  it('agrees with bench/contenders/pyroute2_bench.py', async () => {
    const plan = await lib('plan.mjs');
    const py = benchFile('contenders/pyroute2_bench.py');
    expect(py).toContain(`BRIDGE, BRIDGE_ADDR, PREFIXLEN, GROUP, PEER = '${plan.BRIDGE}', '${plan.BRIDGE_ADDR}', ${plan.PREFIXLEN}, ${plan.GROUP}, '${plan.PEER}'`);
    expect(py).toContain(`TOPO_TABLE, NAT_TABLE = '${plan.TOPO_TABLE}', '${plan.NAT_TABLE}'`);
    expect(py).toContain(`DNAT_TO_PORT, DNAT_FIRST_PORT = ${plan.DNAT_TO_PORT}, ${plan.DNAT_FIRST_PORT}`);
    expect(py).toContain(`PRE_PRIORITY, POST_PRIORITY = ${plan.PRE_PRIORITY}, ${plan.POST_PRIORITY}`);
  });
});

describe('bench floor requests', () => {
  /** A datagram of one message: nlmsghdr (length, type, flags, seq, pid) and `body`. */
  const datagram = (type: number, body: number[]): Uint8Array => {
    const d = Buffer.alloc(16 + body.length);
    d.writeUInt32LE(d.length, 0);
    d.writeUInt16LE(type, 4);
    d.writeUInt16LE(1, 6);
    Buffer.from(body).copy(d, 16);
    return new Uint8Array(d);
  };
  // NFNL_MSG_BATCH_BEGIN (16) with nfgenmsg { AF_UNSPEC, version 0, res_id NFNL_SUBSYS_NFTABLES (10), big-endian }.
  const batchBegin = (): Uint8Array => datagram(16, [0, 0, 0, 10]);
  // RTM_NEWLINK is 16 too: an ifinfomsg (16 bytes) after the header.
  const newLink = (): Uint8Array => datagram(16, new Array(16).fill(0));

  it('captures the nf_tables batch, not an rtnetlink request of the same type number sent after it', async () => {
    const floor = await lib('floor-requests.mjs');
    const sent: Uint8Array[][] = [];
    const native = { socketSend: (_fd: number, parts: Uint8Array[]) => void sent.push(parts) };
    const batch = batchBegin();
    const captured = await floor.captureNftBatch(native, async () => {
      native.socketSend(3, [newLink()]);
      native.socketSend(4, [batch]);
      // Header and body as separate parts, as the library's outbox sends requests.
      const link = newLink();
      native.socketSend(3, [link.subarray(0, 16), link.subarray(16)]);
    });
    expect(sent).toHaveLength(3);
    expect(captured).toEqual([batch]);
  });

  it('says so when the setup sent no batch', async () => {
    const floor = await lib('floor-requests.mjs');
    const native = { socketSend: (_fd: number, _parts: Uint8Array[]) => undefined };
    await expect(floor.captureNftBatch(native, async () => native.socketSend(3, [newLink()]))).rejects.toThrow('no nf_tables batch');
  });
});

describe('bench timed setups', () => {
  it('times the warm contender and the floor the same number of setups per run', async () => {
    const { timedSetupCount } = await lib('timed-setups.mjs');
    expect([1, 10, 100, 500].map(timedSetupCount)).toEqual([10, 10, 3, 3]);
    const floor = benchFile('contenders/floor.mjs');
    const warm = benchFile('contenders/netns-ts-warm.mjs');
    expect(floor).toMatch(/meanOfTimedRuns\(\s*timedSetupCount\(n\)/);
    expect(warm).toContain('timedRuns: timedSetupCount(ctx.n)');
  });

  it('undoes between runs, not after the last, and reports the mean with every sample', async () => {
    const { meanOfTimedRuns } = await lib('timed-setups.mjs');
    const events: string[] = [];
    const times = [3, 1, 8];
    const outcome = await meanOfTimedRuns(
      3,
      async () => {
        events.push('run');
        return { ms: times[events.filter((e) => e === 'run').length - 1], mode: 'x' };
      },
      async () => void events.push('undo'),
    );
    expect(events).toEqual(['run', 'undo', 'run', 'undo', 'run']);
    expect(outcome).toEqual({ ms: 4, samples: [3, 1, 8], mode: 'x' });
  });
});
