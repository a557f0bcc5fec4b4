/**
 * Small writers start in regions of the shared byte pool (byte-pool.ts), as short decoded values do. Each must still be
 * its own: what one writer wrote is unchanged by any other writer, before and after either
 * grows; multi-byte writes land where they would in an array of its own (the region does not
 * start at the slab's first byte); a region starts zeroed and aligned; and a message made from
 * a writer (outgoingOf) keeps its payload and spans.
 */
import { describe, expect, it } from 'vitest';
import { NLMSG_HDRLEN } from '../../../src/netlink/constants.js';
import { bodyWriter, outgoingOf } from '../../../src/netlink/message.js';
import { Writer } from '../../../src/netlink/writer.js';

/** What writer number `i` writes: a u8, a big-endian u16, a little-endian u32, `extra` bytes. */
function fill(w: Writer, i: number, extra: number): number[] {
  w.u8(i & 0xff);
  w.u16(0x1234 + i, true);
  w.u32(0xdead0000 + i);
  const tail = Array.from({ length: extra }, (_, k) => (i * 7 + k) & 0xff);
  w.bytes(Uint8Array.from(tail));
  return [i & 0xff, ((0x1234 + i) >> 8) & 0xff, (0x1234 + i) & 0xff, i & 0xff, (i >> 8) & 0xff, 0xad, 0xde, ...tail];
}

describe('writers in the shared byte pool', () => {
  it('each keeps its own bytes, across pools and when some grow out of their region', () => {
    // 3,000 writers of 16–256 bytes first (several 16 KiB pools); every fifth outgrows its region.
    const writers: Array<{ w: Writer; expected: number[] }> = [];
    for (let i = 0; i < 3000; i++) {
      const w = new Writer(16 + (i % 16) * 16);
      const extra = i % 5 === 0 ? 600 + (i % 7) : i % 9;
      writers.push({ w, expected: fill(w, i, extra) });
    }
    for (const { w, expected } of writers) {
      const bytes = w.finish();
      expect(bytes.length).toBe(expected.length);
      expect([...bytes]).toEqual(expected);
    }
    // Writing more into one changes no other.
    const before = writers.map(({ w }) => [...w.finish()]);
    for (const { w } of writers.filter((_, i) => i % 3 === 0)) w.zeros(8);
    writers.forEach(({ w }, i) => expect([...w.finish().subarray(0, before[i]!.length)]).toEqual(before[i]));
  });

  it('starts zeroed and 8-byte aligned, as an array of its own would', () => {
    for (let i = 0; i < 200; i++) {
      const w = new Writer(1 + (i % 40));
      const room = w.room(1 + (i % 40));
      expect(room.byteOffset % 8).toBe(0);
      expect(room.subarray(0, 1 + (i % 40)).every((b) => b === 0)).toBe(true);
      w.u8(0xff); // dirty it: the next writer's region must still be clean
    }
  });

  it('a message made from a body writer keeps its payload and spans', () => {
    const w = bodyWriter();
    w.attribute(3, {}, 'ifname', (b) => b.text('eth0', true));
    const m = outgoingOf(w, 16, 0x400, 'RTM_NEWLINK');
    expect([...m.payload]).toEqual([9, 0, 3, 0, 101, 116, 104, 48, 0, 0, 0, 0]); // nla_len 9: padding not counted
    expect(m.typeName).toBe('RTM_NEWLINK');
    expect(m.spans).toEqual([{ start: NLMSG_HDRLEN, end: NLMSG_HDRLEN + 9, path: 'ifname' }]);
    expect(outgoingOf(bodyWriter(), 16, 0).typeName).toBeUndefined();
  });
});
