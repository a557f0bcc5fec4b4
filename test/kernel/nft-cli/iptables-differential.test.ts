/**
 * netns-ts iptables against the installed iptables-nft (Debian 12: iptables v1.8.9): the same
 * commands run by each in two sibling namespaces; `-S` and `-L` (numeric, names, verbose, line
 * numbers) print the same text. iptables-nft implements NAT targets with xtables-compat
 * expressions and cannot read native nf_tables NAT expressions back, so each tool lists its
 * own namespace; for rules without NAT targets (ACCEPT, RETURN, DROP with matches) the real
 * iptables-nft also reads the netns-ts namespace and prints the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIptables } from '../../../src/cli/iptables/index.js';
import { createNetns } from '../../../src/netns/index.js';
import { describeKernel, guardThreadNetns, ipNetnsDelete, randomName, sh, status } from '../sandbox.js';
import { testContext, type TestContext } from './cli-context.js';

const T = 30_000;
const haveIptables = status('iptables-nft', ['--version']) === 0;
if (!haveIptables) console.warn('[netns-ts] iptables-nft comparisons skipped: iptables-nft is not installed (apt-get install iptables)');

/** The tutorial's commands and more of the NAT forms, in iptables syntax. */
const NAT_COMMANDS = [
  ['-A', 'POSTROUTING', '-s', '192.168.15.0/24', '-j', 'MASQUERADE'],
  ['-A', 'PREROUTING', '-p', 'tcp', '--dport', '80', '-j', 'DNAT', '--to-destination', '192.168.15.2:80'],
  ['-A', 'PREROUTING', '-i', 'eth0', '-p', 'udp', '--sport', '53', '-d', '10.1.1.1', '-j', 'DNAT', '--to-destination', '192.168.15.2'],
  ['-A', 'POSTROUTING', '-o', 'eth0', '-p', 'tcp', '-j', 'SNAT', '--to-source', '1.2.3.4:1000-2000'],
  ['-A', 'OUTPUT', '-p', 'tcp', '--dport', '8080', '-j', 'REDIRECT', '--to-ports', '80'],
  ['-A', 'POSTROUTING', '!', '-s', '10.0.0.0/8', '-j', 'RETURN'],
  ['-A', 'POSTROUTING', '-p', 'tcp', '-j', 'MASQUERADE', '--to-ports', '1000-2000'],
  ['-A', 'POSTROUTING', '-j', 'MASQUERADE', '--random'],
  ['-I', 'POSTROUTING', '2', '-s', '10.9.0.0/16', '-d', '10.8.0.0/16', '-j', 'ACCEPT'],
  ['-A', 'PREROUTING', '-p', 'tcp', '--dport', '1000:2000', '-j', 'DNAT', '--to-destination', '192.168.15.3'],
] as const;

/** Rules iptables-nft can read back when netns-ts wrote them (no NAT target). */
const PLAIN_COMMANDS = [
  ['-A', 'POSTROUTING', '-s', '10.9.0.0/16', '-d', '10.8.0.0/16', '-j', 'ACCEPT'],
  ['-A', 'POSTROUTING', '!', '-s', '10.0.0.0/8', '-j', 'RETURN'],
  ['-A', 'PREROUTING', '-i', 'eth0', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT'],
  ['-A', 'PREROUTING', '-p', 'udp', '--sport', '53', '-j', 'RETURN'],
  ['-I', 'PREROUTING', '-i', 'veth+', '-j', 'RETURN'],
] as const;

const LISTINGS = [['-S'], ['-L'], ['-L', '-n'], ['-L', '-n', '-v', '--line-numbers'], ['-S', 'POSTROUTING'], ['-L', 'PREROUTING', '-n']] as const;

describeKernel('iptables forms: netns-ts prints what iptables-nft prints', () => {
  guardThreadNetns();
  let theirs: string;
  let ours: string;
  let ctx: TestContext;
  const iptables = (ns: string, ...args: string[]): string => sh('ip', ['netns', 'exec', ns, 'iptables-nft', '-t', 'nat', ...args]);
  const mine = async (...args: string[]): Promise<string> => {
    ctx.lines.length = 0;
    await runIptables(['-t', 'nat', ...args], ctx);
    return ctx.lines.map((l) => `${l}\n`).join('');
  };

  beforeAll(() => {
    theirs = randomName('iptA');
    ours = randomName('iptB');
    createNetns(theirs);
    createNetns(ours);
    ctx = testContext(ours);
  });
  afterAll(() => {
    ctx?.close();
    ipNetnsDelete(theirs);
    ipNetnsDelete(ours);
  });

  describe.skipIf(!haveIptables)('with iptables-nft installed', () => {
    it('NAT rules: -S and -L print the same as iptables-nft for the same commands', async () => {
      for (const c of NAT_COMMANDS) {
        iptables(theirs, ...c);
        await mine(...c);
      }
      for (const l of LISTINGS) expect(await mine(...l), `iptables -t nat ${l.join(' ')}`).toBe(iptables(theirs, ...l));
    }, T);

    it('rules without NAT targets written by netns-ts are read back by iptables-nft unchanged', async () => {
      await mine('-F');
      iptables(theirs, '-F');
      for (const c of PLAIN_COMMANDS) {
        iptables(theirs, ...c);
        await mine(...c);
      }
      for (const l of LISTINGS) {
        expect(iptables(ours, ...l), `iptables-nft -t nat ${l.join(' ')} in the netns-ts namespace`).toBe(iptables(theirs, ...l));
        expect(await mine(...l)).toBe(iptables(theirs, ...l));
      }
    }, T);
  });

  it('-D by rule spec and by number, -F of a chain', async () => {
    await mine('-F');
    await mine('-A', 'POSTROUTING', '-s', '192.168.15.0/24', '-j', 'MASQUERADE');
    await mine('-A', 'POSTROUTING', '-s', '192.168.16.0/255.255.255.0', '-j', 'MASQUERADE');
    await mine('-A', 'PREROUTING', '-p', 'tcp', '--dport', '80', '-j', 'DNAT', '--to-destination', '192.168.15.2:80');
    await mine('-D', 'POSTROUTING', '-s', '192.168.16.0/24', '-j', 'MASQUERADE');
    expect(await mine('-S', 'POSTROUTING')).toBe('-P POSTROUTING ACCEPT\n-A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE\n');
    await mine('-D', 'POSTROUTING', '1');
    await mine('-D', 'PREROUTING', '-p', 'tcp', '-m', 'tcp', '--dport', '80', '-j', 'DNAT', '--to-destination', '192.168.15.2:80');
    expect(await mine('-S')).toBe('-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n-P POSTROUTING ACCEPT\n');
    await expect(mine('-D', 'POSTROUTING', '-s', '10.0.0.0/8', '-j', 'MASQUERADE')).rejects.toThrow(/bad rule/);
    await expect(mine('-D', 'POSTROUTING', '3')).rejects.toThrow(/index of deletion too big/);
    await mine('-A', 'OUTPUT', '-j', 'ACCEPT');
    await mine('-F', 'OUTPUT');
    expect(await mine('-S', 'OUTPUT')).toBe('-P OUTPUT ACCEPT\n');
    // The chain layout iptables-nft uses: nat chains at iptables' priorities.
    const nft = sh('ip', ['netns', 'exec', ours, 'nft', 'list', 'table', 'ip', 'nat']);
    expect(nft).toMatch(/chain POSTROUTING \{\n\t\ttype nat hook postrouting priority srcnat; policy accept;/);
    expect(nft).toMatch(/chain PREROUTING \{\n\t\ttype nat hook prerouting priority dstnat; policy accept;/);
    expect(nft).toMatch(/chain OUTPUT \{\n\t\ttype nat hook output priority -100; policy accept;/);
  }, T);
});
