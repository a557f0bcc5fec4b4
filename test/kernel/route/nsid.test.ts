import { expect, it } from 'vitest';
import { NetlinkError } from '../../../src/netlink/errors.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { createNetns, deleteNetns } from '../../../src/netns/netns.js';
import { Nsids } from '../../../src/route/nsids.js';
import { describeKernel, guardThreadNetns, randomName, sh } from '../sandbox.js';
import { useNamespace } from './route-sandbox.js';

describeKernel('namespace ids against the kernel, checked with ip netns list-id', () => {
  guardThreadNetns();
  const ns = useNamespace();
  const peers = { red: '', blue: '' };
  const nsids = () => new Nsids(ns.conn);

  it('set gives a peer an id, seen by ip netns list-id inside the namespace', async () => {
    peers.red = randomName('red');
    peers.blue = randomName('blue');
    createNetns(peers.red);
    createNetns(peers.blue);
    await nsids().set(peers.red, 5);
    expect(sh('ip', ['-n', ns.name, 'netns', 'list-id'])).toMatch(/nsid 5 /);
    expect(await nsids().get(peers.red)).toBe(5);
    expect(await nsids().get(peers.blue)).toBeUndefined();
    const again = await nsids().set(peers.red, 6).catch((e: unknown) => e);
    expect((again as NetlinkError).code).toBe('EEXIST');
  });

  it("'auto' lets the kernel pick; list shows every assigned id", async () => {
    await nsids().set(peers.blue, 'auto');
    const blue = await nsids().get(peers.blue);
    expect(blue).toBeTypeOf('number');
    const listed = (await nsids().list()).map((e) => e.nsid).sort((a, b) => a - b);
    expect(listed).toEqual([5, blue!].sort((a, b) => a - b));
    const ipIds = sh('ip', ['-n', ns.name, 'netns', 'list-id']).match(/nsid (\d+)/g)!.map((m) => Number(m.split(' ')[1])).sort((a, b) => a - b);
    expect(listed).toEqual(ipIds);
  });

  it("a veth's link-netnsid turns into the peer namespace's name", async () => {
    sh('ip', ['-n', ns.name, 'link', 'add', 'veth-red', 'type', 'veth', 'peer', 'name', 'veth-blue', 'netns', peers.red]);
    const link = JSON.parse(sh('ip', ['-n', ns.name, '-j', 'link', 'show', 'veth-red'])) as { link_netnsid: number }[];
    expect(link[0]!.link_netnsid).toBe(5);
    expect(await nsids().nameOf(link[0]!.link_netnsid)).toBe(peers.red);
    expect(await nsids().nameOf(4242)).toBeUndefined();
  });

  it('ids are per namespace: the peer numbers our namespace on its own', async () => {
    const conn = connectInNetns(peers.red);
    try {
      const inRed = new Nsids(conn);
      await inRed.set(ns.name, 9);
      expect(await inRed.get(ns.name)).toBe(9);
      expect(await inRed.nameOf(9)).toBe(ns.name);
      expect(await nsids().nameOf(9)).toBeUndefined();
      expect(sh('ip', ['-n', peers.red, 'netns', 'list-id'])).toMatch(/nsid 9 /);
    } finally {
      conn.close();
      deleteNetns(peers.red);
      deleteNetns(peers.blue);
    }
  });
});
