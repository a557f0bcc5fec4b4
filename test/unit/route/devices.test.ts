/**
 * Which way a device name is resolved (devices.ts): the transport's own lookup first (the
 * socket's ioctl in production), RTM_GETLINK when it finds nothing or there is none, and
 * nothing at all for an index or an invalid name. The kernel's side is checked in
 * test/kernel/route/devices.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { ValidationError } from '../../../src/netlink/errors.js';
import { RtmType } from '../../../src/netlink/route/constants.js';
import { FakeKernel } from '../../../src/netlink/testing/fake-kernel.js';
import { resolveIfindex } from '../../../src/route/devices.js';

const ENODEV = 19;

/** A kernel answering every RTM_GETLINK with ENODEV; `lookup` plays the socket's ioctl. */
function setup(lookup?: (name: string) => number) {
  const kernel = new FakeKernel((m, k) => (m.type === RtmType.RTM_GETLINK ? k.error(m, ENODEV) : k.ack(m)));
  const asked: string[] = [];
  if (lookup) {
    Object.assign(kernel, {
      interfaceIndex: (name: string) => {
        asked.push(name);
        return lookup(name);
      },
    });
  }
  return { kernel, conn: new Connection(kernel, { timeoutMs: 1000 }), asked };
}

describe('resolveIfindex', () => {
  it('takes the transport lookup when it finds the name: no request is sent', async () => {
    const { kernel, conn, asked } = setup((name) => (name === 'eth0' ? 7 : 0));
    expect(await resolveIfindex(conn, 'eth0')).toBe(7);
    expect(asked).toEqual(['eth0']);
    expect(kernel.sent).toHaveLength(0);
  });

  it('asks over RTM_GETLINK when the lookup finds nothing, and reports its error', async () => {
    const { kernel, conn, asked } = setup(() => 0);
    await expect(resolveIfindex(conn, 'nope0')).rejects.toMatchObject({ code: 'ENODEV' });
    expect(asked).toEqual(['nope0']);
    expect(kernel.received.map((m) => m.type)).toEqual([RtmType.RTM_GETLINK]);
  });

  it('asks over RTM_GETLINK on a transport without a lookup', async () => {
    const { kernel, conn } = setup();
    await expect(resolveIfindex(conn, 'eth0')).rejects.toMatchObject({ code: 'ENODEV' });
    expect(kernel.received.map((m) => m.type)).toEqual([RtmType.RTM_GETLINK]);
  });

  it('neither looks up nor sends for an index, and refuses a bad name before both', async () => {
    const { kernel, conn, asked } = setup(() => 3);
    expect(await resolveIfindex(conn, 12)).toBe(12);
    await expect(resolveIfindex(conn, 'a:b')).rejects.toBeInstanceOf(ValidationError);
    expect(asked).toEqual([]);
    expect(kernel.sent).toHaveLength(0);
  });

  it('does not look up on a closed connection: the request path reports it closed', async () => {
    const { conn, asked } = setup(() => 7);
    conn.close();
    await expect(resolveIfindex(conn, 'eth0')).rejects.toThrow(/closed/);
    expect(asked).toEqual([]);
  });
});
