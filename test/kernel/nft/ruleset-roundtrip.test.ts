/**
 * Tables, chains, rules, sets, maps, elements and objects created through netns-ts exist in
 * the kernel as `nft -j list ruleset` shows them, and read back through netns-ts's reader.
 */
import { expect, it } from 'vitest';
import { describeKernel, guardThreadNetns } from '../sandbox.js';
import { commentOf } from '../../../src/nft/udata.js';
import { TABLE_FAMILIES } from '../../../src/nft/constants.js';
import { addRule } from '../../../src/nft/rule-commands.js';
import { addElements, addSet } from '../../../src/nft/set-commands.js';
import { nft, nftJson, nftScratch, of } from './nft-sandbox.js';
import { hex } from '../../helpers/hex.js';

const T = 30_000;
const masquerade = [
  { type: 'payload', dreg: 1, base: 'network', offset: 12, len: 3 },
  { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(10, 0, 0) } },
  { type: 'counter' },
  { type: 'masq' },
] as const;

describeKernel('nf_tables objects round-trip through the kernel', () => {
  guardThreadNetns();
  const scratch = nftScratch();

  it('tables in every family, with flags and comments', async () => {
    const ns = scratch.netns();
    const c = scratch.client(ns);
    for (const family of TABLE_FAMILIES) await c.addTable({ family, name: `t_${family}`, comment: `${family} table` });
    const tables = of(nftJson(ns), 'table');
    expect(tables.map((t) => `${t.family} ${t.name}`).sort()).toEqual(TABLE_FAMILIES.map((f) => `${f} t_${f}`).sort());
    // nft 1.0.6 leaves comments out of its JSON and truncates it after table flags: read text.
    expect(nft(ns, 'list', 'table', 'inet', 't_inet')).toMatch(/comment "inet table"/);
    await c.addTable({ family: 'ip', name: 'sleepy', flags: ['dormant'] });
    expect(nft(ns, 'list', 'table', 'ip', 'sleepy')).toMatch(/^\s*flags dormant$/m);
    const read = await c.listRuleset();
    expect(read.tables.find((t) => t.name === 'sleepy')?.flags).toEqual(['dormant']);
    expect(commentOf(read.tables.find((t) => t.name === 't_ip6')?.userdata)).toBe('ip6 table');
  }, T);

  it('base chains (nat, filter, route, netdev on a device) and regular chains', async () => {
    const ns = scratch.netns();
    const c = scratch.client(ns);
    await c.addTable({ family: 'ip', name: 'nat' });
    await c.addChain({ family: 'ip', table: 'nat', name: 'POSTROUTING', type: 'nat', hook: 'postrouting', priority: 'srcnat', policy: 'accept' });
    await c.addChain({ family: 'ip', table: 'nat', name: 'PREROUTING', type: 'nat', hook: 'prerouting', priority: 'dstnat' });
    await c.addChain({ family: 'ip', table: 'nat', name: 'helpers', comment: 'jump here' });
    await c.addTable({ family: 'inet', name: 'filter' });
    await c.addChain({ family: 'inet', table: 'filter', name: 'input', type: 'filter', hook: 'input', priority: 0, policy: 'drop' });
    await c.addChain({ family: 'inet', table: 'filter', name: 'mangle', type: 'route', hook: 'output', priority: 'mangle' });
    await c.addTable({ family: 'netdev', name: 'edge' });
    await c.addChain({ family: 'netdev', table: 'edge', name: 'ingress', type: 'filter', hook: 'ingress', priority: -500, device: 'lo' });
    const chains = of(nftJson(ns), 'chain');
    const byName = (n: string) => chains.find((x) => x.name === n);
    expect(byName('POSTROUTING')).toMatchObject({ family: 'ip', table: 'nat', type: 'nat', hook: 'postrouting', prio: 100, policy: 'accept' });
    expect(byName('PREROUTING')).toMatchObject({ hook: 'prerouting', prio: -100 });
    expect(byName('helpers')).toMatchObject({ table: 'nat' });
    expect(nft(ns, 'list', 'chain', 'ip', 'nat', 'helpers')).toMatch(/comment "jump here"/);
    expect(byName('helpers').hook).toBeUndefined();
    expect(byName('input')).toMatchObject({ family: 'inet', type: 'filter', hook: 'input', prio: 0, policy: 'drop' });
    expect(byName('mangle')).toMatchObject({ type: 'route', hook: 'output', prio: -150 });
    expect(byName('ingress')).toMatchObject({ family: 'netdev', hook: 'ingress', prio: -500 });
    // nft 1.0.6's JSON leaves the device out; its text shows it.
    expect(nft(ns, 'list', 'chain', 'netdev', 'edge', 'ingress')).toMatch(/hook ingress device "lo" priority -500/);
    const read = await c.listRuleset();
    expect(read.chains.find((x) => x.name === 'POSTROUTING')).toMatchObject({ type: 'nat', policy: 'accept', hook: { hooknum: 4, priority: 100 }, flags: ['base'] });
  }, T);

  it('rules: append with comment, insert before, add after, replace and delete by handle', async () => {
    const ns = scratch.netns();
    const c = scratch.client(ns);
    await c.addTable({ family: 'ip', name: 'nat' });
    await c.addChain({ family: 'ip', table: 'nat', name: 'POSTROUTING', type: 'nat', hook: 'postrouting', priority: 'srcnat' });
    const spec = { family: 'ip' as const, table: 'nat', chain: 'POSTROUTING' };
    const a = await c.addRule({ ...spec, expressions: [...masquerade], comment: 'lan' });
    const first = await c.insertRule({ ...spec, expressions: [{ type: 'counter' }], comment: 'first' });
    const after = await c.addRule({ ...spec, expressions: [{ type: 'counter' }], comment: 'after first', after: first.handle });
    const before = await c.insertRule({ ...spec, expressions: [{ type: 'counter' }], comment: 'before lan', before: a.handle });
    let rules = of(nftJson(ns), 'rule');
    expect(rules.map((r) => [r.handle, r.comment])).toEqual([
      [Number(first.handle), 'first'],
      [Number(after.handle), 'after first'],
      [Number(before.handle), 'before lan'],
      [Number(a.handle), 'lan'],
    ]);
    expect(rules[3].expr).toEqual([
      { match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: { prefix: { addr: '10.0.0.0', len: 24 } } } },
      { counter: { packets: 0, bytes: 0 } },
      { masquerade: null },
    ]);
    await c.replaceRule({ ...spec, handle: after.handle, expressions: [{ type: 'masq' }], comment: 'replaced' });
    await c.deleteRule({ ...spec, handle: first.handle });
    rules = of(nftJson(ns), 'rule');
    expect(rules.map((r) => [r.handle, r.comment])).toEqual([
      [Number(after.handle), 'replaced'],
      [Number(before.handle), 'before lan'],
      [Number(a.handle), 'lan'],
    ]);
    const read = await c.listRuleset();
    expect(read.rules.map((r) => commentOf(r.userdata))).toEqual(['replaced', 'before lan', 'lan']);
    await c.flushChain({ family: 'ip', table: 'nat', name: 'POSTROUTING' });
    expect(of(nftJson(ns), 'rule')).toEqual([]);
  }, T);

  it('sets and maps: interval with timeouts, concatenations, a verdict map; elements added and deleted', async () => {
    const ns = scratch.netns();
    const c = scratch.client(ns);
    await c.addTable({ family: 'inet', name: 't' });
    await c.addChain({ family: 'inet', table: 't', name: 'target' });
    await c.addSet({ family: 'inet', table: 't', name: 'blocked', key: 'ipv4_addr', flags: ['interval', 'timeout'], timeout: 60_000, comment: 'bad hosts' });
    await c.addElements({ family: 'inet', table: 't', name: 'blocked', key: 'ipv4_addr', interval: true, elements: [{ key: '10.0.0.0/8' }, { key: '192.0.2.1', to: '192.0.2.9', timeout: 5_000 }] });
    await c.addSet({ family: 'inet', table: 't', name: 'portfwd', key: 'inet_service', data: ['ipv4_addr', 'inet_service'] });
    await c.addElements({ family: 'inet', table: 't', name: 'portfwd', key: 'inet_service', data: ['ipv4_addr', 'inet_service'], elements: [{ key: 8080, data: ['10.0.0.2', 80] }, { key: 2222, data: ['10.0.0.3', 22] }] });
    await c.addSet({ family: 'inet', table: 't', name: 'vm', key: ['ipv4_addr', 'inet_service'], data: 'verdict', flags: ['interval'] });
    await c.addElements({ family: 'inet', table: 't', name: 'vm', key: ['ipv4_addr', 'inet_service'], data: 'verdict', interval: true, elements: [{ key: ['1.2.3.0/24', 22], data: 'accept' }, { key: ['1.2.3.5', 23], data: { jump: 'target' } }] });
    await c.addSet({ family: 'inet', table: 't', name: 'macs', key: 'ether_addr' });
    await c.addElements({ family: 'inet', table: 't', name: 'macs', key: 'ether_addr', elements: [{ key: '02:00:00:00:00:01', comment: 'router' }] });

    const sets = of(nftJson(ns), 'set').concat(of(nftJson(ns), 'map'));
    const byName = (n: string) => sets.find((s) => s.name === n);
    expect(byName('blocked')).toMatchObject({ type: 'ipv4_addr', flags: ['interval', 'timeout'], timeout: 60 });
    expect(nft(ns, 'list', 'set', 'inet', 't', 'blocked')).toMatch(/comment "bad hosts"/);
    expect(byName('blocked').elem.map((e: any) => e.elem?.val ?? e)).toEqual([{ prefix: { addr: '10.0.0.0', len: 8 } }, { range: ['192.0.2.1', '192.0.2.9'] }]);
    expect(byName('portfwd')).toMatchObject({ type: 'inet_service', map: 'ipv4_addr . inet_service', elem: expect.arrayContaining([[8080, { concat: ['10.0.0.2', 80] }], [2222, { concat: ['10.0.0.3', 22] }]]) });
    expect(byName('vm')).toMatchObject({ type: ['ipv4_addr', 'inet_service'], map: 'verdict', flags: ['interval'] });
    expect(byName('vm').elem).toEqual([
      [{ concat: [{ prefix: { addr: '1.2.3.0', len: 24 } }, 22] }, { accept: null }],
      [{ concat: ['1.2.3.5', 23] }, { jump: { target: 'target' } }],
    ]);
    expect(byName('macs').elem).toEqual([{ elem: { val: '02:00:00:00:00:01', comment: 'router' } }]);

    await c.deleteElements({ family: 'inet', table: 't', name: 'portfwd', key: 'inet_service', elements: [{ key: 2222 }] });
    expect(nft(ns, 'list', 'map', 'inet', 't', 'portfwd')).not.toMatch(/2222/);
    const read = await c.listRuleset();
    const left = read.sets.find((s) => s.name === 'portfwd')?.elements ?? [];
    expect(left.map((e) => [hex(e.key!.value!), hex(e.data!.value!)])).toEqual([['1f90', '0a00000200500000']]);
    await c.deleteSet({ family: 'inet', table: 't', name: 'macs' });
    expect(of(nftJson(ns), 'set').map((s) => s.name)).not.toContain('macs');
  }, T);

  it('an anonymous set, its elements and the rule using it, in one batch (as nft writes `ip daddr { … } accept`)', async () => {
    const ns = scratch.netns();
    const c = scratch.client(ns);
    await c.addTable({ family: 'ip', name: 'f' });
    await c.addChain({ family: 'ip', table: 'f', name: 'out', type: 'filter', hook: 'output', priority: 0 });
    await c.apply([
      addSet({ family: 'ip', table: 'f', name: 'anon', key: 'ipv4_addr', anonymous: true, id: 7, size: 2 }),
      addElements({ family: 'ip', table: 'f', name: '__set%d', setId: 7, key: 'ipv4_addr', elements: [{ key: '192.0.2.1' }, { key: '192.0.2.2' }] }),
      addRule({
        family: 'ip', table: 'f', chain: 'out', expressions: [
          { type: 'payload', dreg: 1, base: 'network', offset: 16, len: 4 },
          { type: 'lookup', sreg: 1, set: '__set%d', setId: 7 },
          { type: 'immediate', dreg: 0, data: { verdict: { code: 'accept' } } },
        ],
      }),
    ]);
    expect(nft(ns, 'list', 'chain', 'ip', 'f', 'out')).toMatch(/ip daddr \{ 192\.0\.2\.1, 192\.0\.2\.2 \} accept/);
    const read = await c.listRuleset();
    const anon = read.sets.find((x) => x.flags?.includes('anonymous'));
    expect(anon?.name).toMatch(/^__set\d+$/);
    expect(anon?.elements).toHaveLength(2);
  }, T);

  it('stateful objects: counter and quota, typed when read back', async () => {
    const ns = scratch.netns();
    const c = scratch.client(ns);
    await c.addTable({ family: 'inet', name: 't' });
    await c.addObject({ family: 'inet', table: 't', name: 'hits', type: 'counter' });
    await c.addObject({ family: 'inet', table: 't', name: 'cap', type: 'quota', data: { bytes: 1_000_000n, flags: ['inv'] } });
    const json = nftJson(ns);
    expect(of(json, 'counter')).toMatchObject([{ name: 'hits', packets: 0, bytes: 0 }]);
    expect(of(json, 'quota')).toMatchObject([{ name: 'cap', bytes: 1000000, inv: true }]);
    const read = await c.listRuleset();
    expect(read.objects.map((o) => [o.name, o.type, o.data])).toEqual([
      ['hits', 'counter', { bytes: 0n, packets: 0n }],
      ['cap', 'quota', { bytes: 1000000n, consumed: 0n, flags: ['inv'] }],
    ]);
    await c.deleteObject({ family: 'inet', table: 't', name: 'hits', type: 'counter' });
    expect(of(nftJson(ns), 'counter')).toEqual([]);
  }, T);

  it('errors name the command and the kernel\'s reason', async () => {
    const ns = scratch.netns();
    const c = scratch.client(ns);
    const err = await c.addChain({ family: 'ip', table: 'missing', name: 'x' }).catch((e) => e);
    expect(err.name).toBe('NftBatchError');
    expect(err.firstFailure.description).toBe('add chain ip missing x');
    expect(err.firstFailure.error.code).toBe('ENOENT');
    expect(err.firstFailure.error.attribute).toBe('table');
  }, T);
});
