/**
 * Link kinds and options this kernel may lack (dummy, vlan, bond; bridge VLAN filtering).
 * Each is probed with `ip` first: tests that need a missing one are skipped with the reason
 * printed; the refusal itself is checked as a typed NetlinkError, never a crash.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Connection } from '../../../src/netlink/connection.js';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { NetlinkError } from '../../../src/netlink/errors.js';
import { RtmType } from '../../../src/netlink/route/constants.js';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { Links } from '../../../src/route/links.js';
import { describeKernel, guardThreadNetns, randomName, sh, status } from '../sandbox.js';

describeKernel('link kinds this kernel may lack', () => {
  guardThreadNetns();
  const ns = randomName('kind');
  let conn: Connection;
  let links: Links;
  const supported = new Map<string, boolean>();

  /** Whether `ip link add … type KIND ARGS` works here (probed once, then removed). */
  function probe(what: string, args: string[]): boolean {
    if (!supported.has(what)) {
      const ok = status('ip', ['-n', ns, 'link', 'add', 'probe0', ...args]) === 0;
      if (ok) sh('ip', ['-n', ns, 'link', 'del', 'probe0']);
      supported.set(what, ok);
    }
    return supported.get(what)!;
  }

  function needs(what: string, args: string[], skip: (note: string) => void): void {
    if (!probe(what, args)) {
      const reason = `this kernel has no ${what} (ip link add … ${args.join(' ')} fails)`;
      console.warn(`[netns-ts] skipped: ${reason}`);
      skip(reason);
    }
  }

  beforeAll(() => {
    createNetns(ns);
    conn = connectInNetns(ns);
    links = new Links(conn);
  });
  afterAll(() => {
    conn?.close();
    deleteNetns(ns);
  });

  it('creates a dummy link through the raw createLink escape hatch', async (ctx) => {
    needs('dummy links', ['type', 'dummy'], (r) => ctx.skip(r));
    await links.createLink({ name: 'dummy0', kind: 'dummy' });
    expect(JSON.parse(sh('ip', ['-n', ns, '-j', '-d', 'link', 'show', 'dev', 'dummy0']))[0].linkinfo.info_kind).toBe('dummy');
  });

  it('creates a vlan link with raw IFLA_INFO_DATA (IFLA_VLAN_ID)', async (ctx) => {
    needs('802.1Q vlan links', ['link', 'lo', 'type', 'vlan', 'id', '5'], (r) => ctx.skip(r));
    const vlanId = Uint8Array.of(6, 0, 1, 0, 5, 0, 0, 0); // IFLA_VLAN_ID (1), u16 5, padded
    await links.send({
      type: RtmType.RTM_NEWLINK,
      flags: NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL,
      message: { header: { family: 0, type: 0, index: 0, flags: 0, change: 0 }, attributes: { ifname: 'vlan5', link: 1, linkinfo: { kind: 'vlan', data: vlanId } } },
    });
    expect(JSON.parse(sh('ip', ['-n', ns, '-j', '-d', 'link', 'show', 'dev', 'vlan5']))[0].linkinfo.info_data.id).toBe(5);
  });

  it('a kind the kernel lacks is refused as a NetlinkError (EOPNOTSUPP, with the kernel message)', async (ctx) => {
    if (probe('bond links', ['type', 'bond'])) {
      console.warn('[netns-ts] skipped: this kernel has bond links, so it cannot show the refusal');
      ctx.skip('this kernel has bond links');
    }
    const err = await links.createLink({ name: 'bond0', kind: 'bond' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect(err).toMatchObject({ code: 'EOPNOTSUPP', extack: 'Unknown device type' });
  });

  it('creates a VLAN-filtering bridge', async (ctx) => {
    needs('bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)', ['type', 'bridge', 'vlan_filtering', '1'], (r) => ctx.skip(r));
    await links.createBridge({ name: 'brv', vlanFiltering: true, vlanDefaultPvid: 10 });
    const info = JSON.parse(sh('ip', ['-n', ns, '-j', '-d', 'link', 'show', 'dev', 'brv']))[0].linkinfo.info_data;
    expect(info).toMatchObject({ vlan_filtering: 1, vlan_default_pvid: 10 });
  });

  it('without VLAN filtering support, asking for it is a NetlinkError and creates nothing', async (ctx) => {
    if (probe('bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)', ['type', 'bridge', 'vlan_filtering', '1'])) {
      console.warn('[netns-ts] skipped: this kernel filters VLANs on bridges, so it cannot show the refusal');
      ctx.skip('this kernel supports bridge VLAN filtering');
    }
    await expect(links.createBridge({ name: 'brv2', vlanFiltering: true })).rejects.toMatchObject({ name: 'NetlinkError', code: 'EOPNOTSUPP' });
    expect(status('ip', ['-n', ns, 'link', 'show', 'dev', 'brv2'])).not.toBe(0);
  });
});
