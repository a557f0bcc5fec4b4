/**
 * The same command lines — abbreviations included — run by `ip` in one namespace and by
 * `netns-ts` in another must both be accepted and leave the same state (compared with
 * `ip -j`, random MAC addresses and the IPv6 link-local addresses made from them set aside).
 * Abbreviations ip 6.1 refuses must be refused here too.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sysctlWrite } from '../../../src/netns/sysctl.js';
import { describeKernel, randomName } from '../sandbox.js';
import { cli, ip } from './cli.js';

/** Command lines as people type them (after `ip -n NS`). */
const ACCEPTED = [
  'l a br0 ty bridge',
  'link add v0 type veth peer n v1',
  'link add name w0 txq 50 mtu 1400 type veth peer w1',
  'l s v1 m br0',
  'link set dev v0 up',
  'link set v1 up',
  'link set br0 up',
  'link set w0 al "an alias" a 02:00:00:00:00:42',
  'link add mv0 l br0 type macvlan mo bridge',
  'link add vx0 type vxlan i 42 dst 4789 rem 10.9.9.9 loc 10.0.0.1',
  'a a 10.0.0.1/24 b + dev v0',
  'addr add 10.0.0.5/24 dev v0 label v0:1',
  'address add 10.0.0.9/24 dev v0 me 9 noprefixroute',
  'a add 2001:db8::1/64 dev v0 nodad',
  'r a 10.1.0.0/16 via 10.0.0.2 met 5',
  'route add 10.2.0.0/16 via 10.0.0.2 ta 100 pro static',
  'r add blackhole 10.3.0.0/16',
  'ro add 10.4.0.0/16 via 10.0.0.2 mtu lock 1300 advmss 1200',
  'r r 10.1.0.0/16 via 10.0.0.3 met 5',
  'n a 10.0.0.7 ll 02:00:00:00:00:07 dev v0',
  'neigh add pr 10.0.0.8 dev v0',
  'n c 10.0.0.7 lladdr 02:00:00:00:00:77 nud reach dev v0',
  'r d 10.3.0.0/16',
  'a d 10.0.0.5/24 dev v0',
  'link del w1',
];

/** Abbreviations ip 6.1 does not take (checked by running it). */
const REFUSED = [
  'link add x mt 1400 type veth',
  'link add x g 3 type veth',
  'link set v0 u',
  'link set d v0 up',
  'addr add 10.0.0.1/24 de v0',
  'addr add 10.0.0.1/24 la x dev v0',
  'route add 10.9.0.0/16 v 10.0.0.2',
  'route add 10.9.0.0/16 via 10.0.0.2 d v0',
  'neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 nu reachable dev v0',
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Set aside what differs by chance between two namespaces: MACs (and the bridge ids and IPv6
 * link-local addresses made from them) and bridge timers that tick.
 */
function normalise(v: Json): Json {
  if (Array.isArray(v)) return v.map(normalise).filter((x) => !(x && typeof x === 'object' && !Array.isArray(x) && [x.local, x.dst].some((a) => typeof a === 'string' && a.startsWith('fe80::') && a !== 'fe80::/64')));
  if (v && typeof v === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) {
      if (k.endsWith('_timer')) continue;
      if (k === 'bridge_id' || k === 'root_id') {
        out[k] = 'random';
        continue;
      }
      out[k] = (k === 'address' || k === 'broadcast' || k === 'lladdr') && typeof x === 'string' && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(x) && !x.startsWith('02:00:00') && x !== 'ff:ff:ff:ff:ff:ff' ? 'random' : normalise(x);
    }
    return out;
  }
  return v;
}

function words(line: string): string[] {
  return (line.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"|"$/g, ''));
}

describeKernel('the same command lines through ip and through netns-ts', () => {
  const byIp = randomName('wip');
  const byUs = randomName('wus');

  beforeAll(async () => {
    for (const ns of [byIp, byUs]) {
      execFileSync('ip', ['netns', 'add', ns]);
      for (const key of ['net/ipv6/conf/all/accept_dad', 'net/ipv6/conf/default/accept_dad']) sysctlWrite(ns, key, '0');
    }
  });

  afterAll(() => {
    for (const ns of [byIp, byUs]) execFileSync('ip', ['netns', 'del', ns]);
  });

  it('are accepted by both, one by one', async () => {
    for (const line of ACCEPTED) {
      execFileSync('ip', ['-n', byIp, ...words(line)], { stdio: 'pipe' });
      const r = await cli('ip', '-n', byUs, ...words(line));
      expect(r.err, line).toBe('');
      expect(r.status, line).toBe(0);
    }
  });

  it('leave the same links, addresses, routes and neighbours', async () => {
    for (const show of [['-d', 'link', 'show'], ['addr', 'show'], ['route', 'show', 'table', 'all'], ['neigh', 'show'], ['neigh', 'show', 'proxy']]) {
      const snapshot = (ns: string): string => JSON.stringify(normalise(JSON.parse(ip('-n', ns, '-j', ...show)) as Json));
      // Operstates settle asynchronously: the kernel's linkwatch batches non-urgent changes (a
      // bridge going UP once its port forwards) for up to a second, across namespaces. Compare
      // again for up to 3 s before calling a difference a difference.
      let ours = snapshot(byUs);
      let theirs = snapshot(byIp);
      for (let tries = 0; ours !== theirs && tries < 30; tries++) {
        await new Promise((settled) => setTimeout(settled, 100));
        ours = snapshot(byUs);
        theirs = snapshot(byIp);
      }
      expect(ours, show.join(' ')).toBe(theirs);
    }
  });

  it('abbreviations ip refuses are refused, before anything is sent', async () => {
    for (const line of REFUSED) {
      let ipStatus = 0;
      try {
        execFileSync('ip', ['-n', byIp, ...words(line)], { stdio: 'pipe' });
      } catch (err) {
        ipStatus = (err as { status: number }).status;
      }
      expect(ipStatus, `ip ${line}`).not.toBe(0);
      const r = await cli('ip', '-n', byUs, ...words(line));
      expect(r.status, line).toBe(2);
    }
  });
});
