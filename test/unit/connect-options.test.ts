/**
 * Options of a connection and of a request are checked before anything is opened or sent: a
 * wrong type or range is a ValidationError naming the option (connect-options.ts).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/netlink/connect.js';
import { MAX_TIMEOUT_MS } from '../../src/netlink/connect-options.js';
import { Connection } from '../../src/netlink/connection.js';
import { ValidationError } from '../../src/netlink/errors.js';
import { FakeKernel } from '../../src/netlink/testing/index.js';

const openFds = (): number => readdirSync('/proc/self/fd').length;
const getLink = { type: 18, typeName: 'RTM_GETLINK', payload: new Uint8Array(16) };

/** The option a ValidationError names, or what else was thrown. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return err instanceof ValidationError ? err.field : `not a ValidationError: ${String(err)}`;
  }
  return 'accepted';
}

describe('connect options', () => {
  const wrong: Array<[string, Record<string, unknown>]> = [
    ['protocol', { protocol: -1 }],
    ['protocol', { protocol: 32 }],
    ['protocol', { protocol: 1.5 }],
    ['protocol', { protocol: '0' }],
    ['netnsFd', { netnsFd: -2 }],
    ['receiveBuffer', { receiveBuffer: 0 }],
    ['sendBuffer', { sendBuffer: 'big' }],
    ['groups', { groups: 1 }],
    ['groups[1]', { groups: [1, 0] }],
    ['groups[0]', { groups: [2 ** 32] }],
    ['extendedAck', { extendedAck: 1 }],
    ['strictCheck', { strictCheck: 'yes' }],
    ['readAhead', { readAhead: null }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['timeoutMs', { timeoutMs: Infinity }],
    ['timeoutMs', { timeoutMs: MAX_TIMEOUT_MS + 1 }],
    ['timeoutMs', { timeoutMs: Number.NaN }],
    ['maxInFlight', { maxInFlight: 0 }],
    ['dumpRetries', { dumpRetries: -1 }],
    ['trace', { trace: 'stderr' }],
  ];
  it.each(wrong)('%s: refused before a socket is opened (%o)', (field, options) => {
    const fds = openFds();
    expect(refusal(() => connect(options as never).close())).toBe(field);
    expect(openFds()).toBe(fds);
  });

  it('the limits themselves are accepted', () => {
    const conn = connect({ protocol: 0, timeoutMs: MAX_TIMEOUT_MS, maxInFlight: 1, dumpRetries: 0, readAhead: false });
    conn.close();
    expect(refusal(() => connect(null as never))).toBe('options');
  });

  it('a Connection made on any transport checks its own options', () => {
    expect(refusal(() => new Connection(new FakeKernel(), { timeoutMs: -5 }))).toBe('timeoutMs');
    expect(refusal(() => new Connection(new FakeKernel(), { describeType: 3 as never }))).toBe('describeType');
  });
});

describe('a request timeout', () => {
  it('out of range rejects the request, and nothing is sent', async () => {
    const kernel = new FakeKernel();
    const conn = new Connection(kernel);
    for (const timeoutMs of [Infinity, 0, -1, MAX_TIMEOUT_MS + 1, Number.NaN, '5' as never]) {
      await expect(conn.request(getLink, { timeoutMs })).rejects.toMatchObject({ name: 'ValidationError', field: 'timeoutMs' });
      await expect(conn.dump(getLink, { timeoutMs })).rejects.toMatchObject({ name: 'ValidationError', field: 'timeoutMs' });
    }
    expect(kernel.sent).toEqual([]);
    await expect(conn.request(getLink, { timeoutMs: MAX_TIMEOUT_MS })).resolves.toEqual([]);
    expect(kernel.sent).toHaveLength(1);
    conn.close();
  });
});
