/**
 * A typed listing whose dump the kernel keeps flagging NLM_F_DUMP_INTR past every retry fails
 * with DumpInterruptedError whose `partial` holds the last attempt's typed objects (Address,
 * Route, Link), not raw messages; one that settles on a retry returns only that attempt's objects.
 */
import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { DumpInterruptedError } from '../../../src/netlink/errors.js';
import { FakeKernel } from '../../../src/netlink/testing/fake-kernel.js';
import { datagram } from '../../../src/netlink/testing/index.js';
import { RtmType } from '../../../src/netlink/route/constants.js';
import { Addresses } from '../../../src/route/addresses.js';
import { Links } from '../../../src/route/links.js';
import { Routes } from '../../../src/route/routes.js';
import { capturedAll } from './fixture-messages.js';

const { RTM_NEWADDR, RTM_NEWLINK, RTM_NEWROUTE } = RtmType;
const INTR = NlmFlags.NLM_F_DUMP_INTR;

/** A kernel answering every dump with `replies` (flagged interrupted while `interrupted(attempt)`). */
function kernelOf(type: number, replies: ReadonlyArray<{ payload: Uint8Array }>, interrupted: (attempt: number) => boolean): FakeKernel {
  let attempt = 0;
  return new FakeKernel((m, k) => {
    const flags = interrupted(++attempt) ? INTR : 0;
    return [datagram(...replies.map((r) => k.part(m, type, r.payload, flags)), k.done(m))];
  });
}

describe('interrupted typed listings', () => {
  const addresses = capturedAll('addr-show', RTM_NEWADDR);
  const routes = capturedAll('route-show', RTM_NEWROUTE);

  it('addresses: the error carries the last attempt\'s Address objects', async () => {
    const conn = new Connection(kernelOf(RTM_NEWADDR, addresses, () => true), { timeoutMs: 1000 });
    const err = await new Addresses(conn).list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DumpInterruptedError);
    const partial = (err as DumpInterruptedError).partial as Array<{ address: string; prefixLength: number }>;
    expect(partial.map((a) => `${a.address}/${a.prefixLength}`)).toEqual((await new Addresses(new Connection(kernelOf(RTM_NEWADDR, addresses, () => false))).list()).map((a) => `${a.address}/${a.prefixLength}`));
  });

  it('routes: the error carries the last attempt\'s Route objects', async () => {
    const conn = new Connection(kernelOf(RTM_NEWROUTE, routes, () => true), { timeoutMs: 1000 });
    const err = await new Routes(conn).list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DumpInterruptedError);
    const whole = await new Routes(new Connection(kernelOf(RTM_NEWROUTE, routes, () => false))).list();
    expect(whole.length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify((err as DumpInterruptedError).partial))).toEqual(JSON.parse(JSON.stringify(whole)));
  });

  it('links: the error carries the last attempt\'s Link views', async () => {
    const links = capturedAll('dump-links', RTM_NEWLINK);
    expect(links.length).toBeGreaterThan(0);
    const conn = new Connection(kernelOf(RTM_NEWLINK, links, () => true), { timeoutMs: 1000 });
    const err = await new Links(conn).list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DumpInterruptedError);
    const whole = await new Links(new Connection(kernelOf(RTM_NEWLINK, links, () => false))).list();
    const fields = (l: unknown) => (l as { toJSON(): object }).toJSON();
    expect(((err as DumpInterruptedError).partial).map(fields)).toEqual(whole.map(fields));
  });

  it('a dump that settles on a retry lists that attempt once (nothing of the interrupted one)', async () => {
    const conn = new Connection(kernelOf(RTM_NEWROUTE, routes, (attempt) => attempt === 1), { timeoutMs: 1000 });
    const listed = await new Routes(conn).list();
    const whole = await new Routes(new Connection(kernelOf(RTM_NEWROUTE, routes, () => false))).list();
    expect(listed).toHaveLength(whole.length);
    expect(conn.stats.dumpRestarts).toBe(1);
    const aconn = new Connection(kernelOf(RTM_NEWADDR, addresses, (attempt) => attempt === 1), { timeoutMs: 1000 });
    expect(await new Addresses(aconn).list()).toHaveLength(addresses.length);
  });
});
