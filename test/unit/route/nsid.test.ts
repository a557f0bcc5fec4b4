import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { ValidationError } from '../../../src/netlink/errors.js';
import { FakeKernel } from '../../../src/netlink/testing/fake-kernel.js';
import { RtmType } from '../../../src/netlink/route/constants.js';
import { nsidMessage } from '../../../src/netlink/route/nsid.js';
import { Nsids } from '../../../src/route/nsids.js';
import { rows } from '../../helpers/hex.js';
import { captured, capturedAll } from './fixture-messages.js';

const { RTM_NEWNSID, RTM_GETNSID } = RtmType;
// Any network namespace file works for building requests; this one always exists.
const SELF = { path: '/proc/self/ns/net' };

function setup(handler?: ConstructorParameters<typeof FakeKernel>[0]) {
  const kernel = new FakeKernel(handler);
  return { kernel, nsids: new Nsids(new Connection(kernel, { timeoutMs: 2000 })) };
}

describe('nsids', () => {
  it('set = ip netns set NAME ID: NETNSA_FD then NETNSA_NSID (only the fd number differs)', async () => {
    const { kernel, nsids } = setup();
    await nsids.set(SELF, 5);
    const sent = nsidMessage.decode(kernel.received[0]!.payload, 16);
    const ip = captured('nsid-set', RTM_NEWNSID);
    const ipValue = nsidMessage.decode(ip.payload, ip.at);
    expect(sent.attributes.nsid).toBe(5);
    expect(Object.keys(sent.attributes)).toEqual(Object.keys(ipValue.attributes));
    expect(sent.attributes.fd).toBeGreaterThan(2);
    expect(rows(kernel.received[0]!.payload.subarray(0, 8))).toBe(rows(ip.payload.subarray(0, 8)));
    expect(rows(kernel.received[0]!.payload.subarray(12))).toBe(rows(ip.payload.subarray(12)));
  });

  it("set 'auto' asks the kernel to pick (NETNSA_NSID -1)", async () => {
    const { kernel, nsids } = setup();
    await nsids.set(SELF, 'auto');
    expect(nsidMessage.decode(kernel.received[0]!.payload, 16).attributes.nsid).toBe(-1);
  });

  it('list = ip netns list-id: a dump of the assigned ids', async () => {
    // Only the dump's parts: ip also asks for the id of each named namespace afterwards.
    const replies = capturedAll('nsid-list', RTM_NEWNSID).filter((m) => (m.flags & NlmFlags.NLM_F_MULTI) !== 0);
    const { kernel, nsids } = setup((m, k) => [...replies.map((r) => k.part(m, RTM_NEWNSID, r.payload)), k.done(m)]);
    expect((await nsids.list()).map((e) => e.nsid).sort()).toEqual([5, 6]);
    expect(rows(kernel.received[0]!.payload)).toBe(rows(captured('nsid-list', RTM_GETNSID).payload));
  });

  it('get: the id, or undefined when the kernel says NETNSA_NSID_NOT_ASSIGNED', async () => {
    const answers = capturedAll('nsid-get', RTM_NEWNSID).map((m) => nsidMessage.decode(m.payload, m.at).attributes.nsid);
    expect(answers).toContain(5);
    expect(answers).toContain(-1);
    for (const id of [5, -1]) {
      const reply = capturedAll('nsid-get', RTM_NEWNSID).find((m) => nsidMessage.decode(m.payload, m.at).attributes.nsid === id)!;
      const { kernel, nsids } = setup((m, k) => [k.reply(m, RTM_NEWNSID, reply.payload), k.ack(m)]);
      expect(await nsids.get(SELF)).toBe(id === -1 ? undefined : id);
      expect(Object.keys(nsidMessage.decode(kernel.received[0]!.payload, 16).attributes)).toEqual(['fd']);
    }
  });

  it('bad ids and refs are ValidationErrors before anything is sent', async () => {
    const { kernel, nsids } = setup();
    await expect(nsids.set(SELF, -2)).rejects.toMatchObject({ field: 'nsid' });
    await expect(nsids.set(SELF, 2 ** 31)).rejects.toBeInstanceOf(ValidationError);
    await expect(nsids.get('bad/name')).rejects.toBeInstanceOf(ValidationError);
    await expect(nsids.nameOf(-5)).rejects.toBeInstanceOf(ValidationError);
    expect(kernel.sent).toHaveLength(0);
  });
});
