import { afterAll, beforeAll, expect, it } from 'vitest';
import { defineAttributeSet } from '../../src/netlink/attribute-set.js';
import { cstring } from '../../src/netlink/fields.js';
import type { Connection } from '../../src/netlink/connection.js';
import { defineStruct } from '../../src/netlink/struct.js';
import { createNetns, deleteNetns } from '../../src/netns/index.js';
import { connectInNetns } from '../../src/netns/connect.js';
import { describeKernel, guardThreadNetns, ipLinks, randomName, sh } from './sandbox.js';

// Just enough of RTM_NEWLINK to read names: the full link codec belongs to the rtnetlink layer.
const ifinfomsg = defineStruct('ifinfomsg', { family: 'u8', _pad: { pad: 1 }, type: 'u16', index: 's32', flags: 'u32', change: 'u32' });
const linkNames = defineAttributeSet('link', { ifname: { type: 3, codec: cstring } }); // IFLA_IFNAME
const RTM_GETLINK = 18;

async function dumpLinks(conn: Connection): Promise<Array<{ ifindex: number; ifname: string }>> {
  const msgs = await conn.dump({ type: RTM_GETLINK, payload: new Uint8Array(16) });
  return msgs.map((m) => {
    const hdr = ifinfomsg.decodeAt(m.payload, 16, 'ifinfomsg');
    const attrs = linkNames.decode(m.payload.subarray(16), 32, '');
    return { ifindex: hdr.index, ifname: attrs.ifname ?? '' };
  });
}

const byIndex = (a: { ifindex: number }, b: { ifindex: number }) => a.ifindex - b.ifindex;

describeKernel('connections inside a namespace', () => {
  guardThreadNetns();
  const ours = randomName('ours');
  const theirs = randomName('ip');

  beforeAll(() => {
    createNetns(ours);
    sh('ip', ['netns', 'add', theirs]);
    // Different links in each, so a connection in the wrong namespace would be noticed.
    sh('ip', ['-n', ours, 'link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb']);
    sh('ip', ['-n', theirs, 'link', 'add', 'br-x', 'type', 'bridge']);
  });
  afterAll(() => {
    deleteNetns(ours);
    sh('ip', ['netns', 'del', theirs]);
  });

  for (const which of ['ours', 'theirs'] as const) {
    it(`a connection opened in ${which === 'ours' ? 'a namespace made by netns-ts' : 'one made by ip netns add'} sees exactly the links ip -n shows`, async () => {
      const name = which === 'ours' ? ours : theirs;
      const conn = connectInNetns(name);
      try {
        const got = (await dumpLinks(conn)).sort(byIndex);
        const want = ipLinks(name).map((l) => ({ ifindex: l.ifindex, ifname: l.ifname })).sort(byIndex);
        expect(got).toEqual(want);
        expect(got.length).toBeGreaterThan(1);
      } finally {
        conn.close();
      }
    });
  }

  it('the same connection keeps talking to its namespace and many requests run at once', async () => {
    const conn = connectInNetns({ path: `/run/netns/${ours}` });
    try {
      const results = await Promise.all(Array.from({ length: 10 }, () => dumpLinks(conn)));
      for (const r of results) expect(r.map((l) => l.ifname).sort()).toEqual(['lo', 'va', 'vb']);
    } finally {
      conn.close();
    }
  });
});
