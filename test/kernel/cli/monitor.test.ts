/**
 * `ip monitor`: kernel notifications printed as they happen, in text (`Deleted …` for
 * removals, as ip prints them) and with -j as one JSON object per line. The monitor runs
 * in-process and is stopped through the context's AbortSignal (Ctrl-C in the binary).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run } from '../../../src/cli/run.js';
import { describeKernel, randomName } from '../sandbox.js';
import { cli, cliOk } from './cli.js';

interface Running {
  out: string[];
  stop(): Promise<number>;
}

/** Start `netns-ts ARGS…` (a monitor) and wait until it is subscribed: a probe change shows up. */
async function startMonitor(ns: string, args: string[]): Promise<Running> {
  const out: string[] = [];
  const controller = new AbortController();
  const done = run(['ip', '-n', ns, ...args], { out: (l) => out.push(l), err: (l) => out.push(`ERR ${l}`) }, { signal: controller.signal });
  for (let mtu = 1300; out.length === 0; mtu++) {
    if (mtu > 1350) throw new Error('the monitor printed nothing for 50 probe changes');
    await cliOk('ip', '-n', ns, 'link', 'set', 'probe0', 'mtu', String(mtu));
    await new Promise((r) => setTimeout(r, 100));
  }
  out.length = 0;
  return {
    out,
    stop: async () => {
      controller.abort();
      return done;
    },
  };
}

async function settle(out: string[], pattern: RegExp): Promise<void> {
  for (let i = 0; i < 100 && !out.some((l) => pattern.test(l)); i++) await new Promise((r) => setTimeout(r, 50));
}

describeKernel('ip monitor', () => {
  const ns = randomName('mon');
  const other = randomName('mono');

  beforeAll(async () => {
    await cliOk('ip', 'netns', 'add', ns);
    await cliOk('ip', 'netns', 'add', other);
    await cliOk('ip', '-n', ns, 'link', 'add', 'probe0', 'type', 'bridge');
  });

  afterAll(async () => {
    await cli('ip', 'netns', 'del', ns);
    await cli('ip', 'netns', 'del', other);
  });

  it('prints link, address, route, neighbour and nsid events like ip monitor', async () => {
    const m = await startMonitor(ns, ['monitor']);
    await cliOk('ip', '-n', ns, 'link', 'add', 'm0', 'type', 'veth', 'peer', 'name', 'm1');
    await cliOk('ip', '-n', ns, 'link', 'set', 'm0', 'up');
    await cliOk('ip', '-n', ns, 'addr', 'add', '10.7.0.1/24', 'dev', 'm0');
    await cliOk('ip', '-n', ns, 'route', 'add', '10.8.0.0/16', 'via', '10.7.0.2');
    await cliOk('ip', '-n', ns, 'neigh', 'add', '10.7.0.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'm0');
    await cliOk('ip', '-n', ns, 'netns', 'set', other, '9');
    await cliOk('ip', '-n', ns, 'neigh', 'del', '10.7.0.9', 'dev', 'm0');
    await settle(m.out, /^Deleted 10\.7\.0\.9 /);
    expect(await m.stop()).toBe(0);
    const text = m.out.join('\n');
    expect(text).toMatch(/^\d+: m0@m1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN group default qlen 1000$/m);
    expect(text).toMatch(/^ {4}link\/ether [0-9a-f:]{17} brd ff:ff:ff:ff:ff:ff$/m);
    expect(text).toMatch(/^\d+: m0 {4}inet 10\.7\.0\.1\/24 scope global m0$/m);
    expect(text).toContain('\n       valid_lft forever preferred_lft forever');
    expect(text).toMatch(/^10\.8\.0\.0\/16 via 10\.7\.0\.2 dev m0( linkdown)?$/m);
    expect(text).toContain('10.7.0.9 dev m0 lladdr 02:00:00:00:00:09 PERMANENT');
    expect(text).toContain(`nsid 9 (iproute2 netns name: ${other})`);
    expect(text).toMatch(/^Deleted 10\.7\.0\.9 dev m0 /m);
  });

  it('-j prints one JSON object per event, shaped like ip -j show, with "deleted" on removals', async () => {
    const m = await startMonitor(ns, ['-j', 'monitor', 'link', 'address']);
    await cliOk('ip', '-n', ns, 'addr', 'add', '10.9.0.1/24', 'dev', 'probe0');
    await cliOk('ip', '-n', ns, 'addr', 'del', '10.9.0.1/24', 'dev', 'probe0');
    await cliOk('ip', '-n', ns, 'route', 'add', 'blackhole', '10.10.0.0/16'); // not subscribed
    await cliOk('ip', '-n', ns, 'link', 'del', 'probe0');
    await settle(m.out, /"deleted":true,"ifindex":\d+,"ifname":"probe0"/);
    await m.stop();
    const events = m.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.object)).not.toContain('route');
    expect(events).toContainEqual(expect.objectContaining({ object: 'address', ifname: 'probe0', addr_info: [expect.objectContaining({ family: 'inet', local: '10.9.0.1', prefixlen: 24 })] }));
    expect(events).toContainEqual(expect.objectContaining({ object: 'address', deleted: true, ifname: 'probe0' }));
    // The last event about probe0 is its removal. (Not the last event of all: a link of the test
    // before may still report a late operstate change — linkwatch batches those for up to 1 s.)
    expect(events.filter((e) => e.ifname === 'probe0').at(-1)).toMatchObject({ object: 'link', deleted: true, ifname: 'probe0', link_type: 'ether' });
  });

  it('objects ip monitors that netns-ts does not are refused by name', async () => {
    const r = await cli('ip', 'monitor', 'netconf');
    expect(r.status).toBe(2);
    expect(r.err).toBe('netns-ts: ip monitor netconf: not supported by netns-ts (supported: all, link, address, route, neigh, nsid)');
  });
});
