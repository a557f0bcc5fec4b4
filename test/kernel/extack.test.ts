import { expect, it } from 'vitest';
import { defineAttributeSet } from '../../src/netlink/attribute-set.js';
import { connect } from '../../src/netlink/connect.js';
import { NlmFlags } from '../../src/netlink/constants.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { cstring } from '../../src/netlink/fields.js';
import { bodyWriter } from '../../src/netlink/message.js';
import { describeKernel, randomName } from './sandbox.js';

// A minimal slice of the link attributes, declared here so the core is tested on its own.
const linkinfo = defineAttributeSet('linkinfo', { kind: { type: 1, codec: cstring } }); // IFLA_INFO_KIND
const link = defineAttributeSet('link', {
  ifname: { type: 3, codec: cstring }, // IFLA_IFNAME
  linkinfo: { type: 18, codec: linkinfo }, // IFLA_LINKINFO
});
const RTM_NEWLINK = 16;

function newLink(value: Parameters<typeof link.encode>[1], header = new Uint8Array(16)) {
  const w = bodyWriter();
  w.bytes(header); // struct ifinfomsg, all zero
  link.encode(w, value, '');
  return { type: RTM_NEWLINK, typeName: 'RTM_NEWLINK', flags: NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL, payload: w.finish().slice(), spans: w.spans };
}

describeKernel('kernel errors come back as NetlinkError with extack and attribute path', () => {
  for (const capAck of [true, false]) {
    it(`a 16-byte interface name: ERANGE, the policy message, attribute ifname (${capAck ? 'capped' : 'full'} ack)`, async () => {
      const conn = connect({ capAck });
      try {
        const err = await conn.request(newLink({ ifname: 'x'.repeat(16), linkinfo: { kind: 'veth' } })).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(NetlinkError);
        const e = err as NetlinkError;
        expect(e.code).toBe('ERANGE');
        expect(e.errno).toBe(34);
        expect(e.extack).toBe('Attribute failed policy validation');
        expect(e.offset).toBe(32); // 16 (nlmsghdr) + 16 (ifinfomsg): the IFLA_IFNAME header
        expect(e.attribute).toBe('ifname');
        expect(e.expected).toBe('a string of at most 15 bytes');
        expect(e.request.typeName).toBe('RTM_NEWLINK');
        expect(e.message).toContain('ERANGE');
      } finally {
        conn.close();
      }
    });
  }

  it('an unknown link kind: EOPNOTSUPP with the kernel message', async () => {
    const conn = connect();
    try {
      const err = (await conn.request(newLink({ ifname: randomName('k'), linkinfo: { kind: 'nosuchkind' } })).catch((e: unknown) => e)) as NetlinkError;
      expect(err).toBeInstanceOf(NetlinkError);
      expect(err.code).toBe('EOPNOTSUPP');
      expect(err.extack).toMatch(/Unknown device type/);
    } finally {
      conn.close();
    }
  });

  it('a valid request through the same path succeeds and the link exists', async () => {
    const conn = connect();
    const name = randomName('ok').slice(0, 15);
    try {
      await conn.request(newLink({ ifname: name, linkinfo: { kind: 'bridge' } }));
      const err = (await conn.request(newLink({ ifname: name, linkinfo: { kind: 'bridge' } })).catch((e: unknown) => e)) as NetlinkError;
      expect(err.code).toBe('EEXIST');
    } finally {
      // RTM_DELLINK by name (IFLA_IFNAME) to clean up.
      const w = bodyWriter();
      w.zeros(16);
      link.encode(w, { ifname: name }, '');
      await conn.request({ type: 17, payload: w.finish().slice() }).catch(() => undefined);
      conn.close();
    }
  });
});

