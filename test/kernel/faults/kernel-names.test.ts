import { afterAll, beforeAll, expect, it } from 'vitest';
import { defineAttributeSet } from '../../../src/netlink/attribute-set.js';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { binary, cstring } from '../../../src/netlink/fields.js';
import { bodyWriter } from '../../../src/netlink/message.js';
import { escapeForDisplay } from '../../../src/netlink/text.js';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { Links } from '../../../src/route/links.js';
import { describeKernel, randomName } from '../sandbox.js';

// The kernel accepts interface names that are not valid UTF-8 and names with escape bytes; we
// would never create them, but another tool may. They must decode losslessly, be usable by
// index, and print escaped.
const raw = defineAttributeSet('link', {
  ifname: { type: 3, codec: binary }, // IFLA_IFNAME as raw bytes (NUL included by the caller)
  linkinfo: { type: 18, codec: defineAttributeSet('linkinfo', { kind: { type: 1, codec: cstring } }) },
});

describeKernel('names from the kernel that are not text', () => {
  const ns = randomName('names');
  beforeAll(() => createNetns(ns));
  afterAll(() => deleteNetns(ns));

  it('invalid UTF-8 and terminal escapes: kept byte-exact, handled by index, printed escaped', async () => {
    const conn = connectInNetns(ns);
    const links = new Links(conn);
    const create = async (bytes: number[]) => {
      const w = bodyWriter();
      w.zeros(16);
      raw.encode(w, { ifname: Uint8Array.from([...bytes, 0]), linkinfo: { kind: 'bridge' } }, '');
      await conn.request({ type: 16, flags: NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL, payload: w.finish().slice() });
    };
    try {
      await create([0x66, 0xff, 0x66]); // "f", an invalid byte, "f"
      await create([0x61, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x62]); // "a", ESC "[31m", "b"
      const odd = (await links.list()).filter((l) => l.name !== 'lo');
      const shown = odd.map((l) => escapeForDisplay(l.name)).sort();
      expect(shown).toEqual(['a\\x1b[31mb', 'f\\xfff']);
      for (const l of odd) {
        // Usable by index: get and delete.
        expect((await links.get(l.index))?.index).toBe(l.index);
        await links.delete(l.index);
      }
      expect((await links.list()).map((l) => l.name)).toEqual(['lo']);
    } finally {
      conn.close();
    }
  });
});
