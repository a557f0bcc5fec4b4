import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DumpInterruptedError } from '../../../src/netlink/errors.js';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { Addresses } from '../../../src/route/addresses.js';
import { recordFigure } from '../../helpers/figures.js';
import { describeKernel, randomName, sh } from '../sandbox.js';

// A mutator adds and removes thousands of addresses while we dump them. The kernel flags dumps
// that raced a change (NLM_F_DUMP_INTR); netns-ts restarts them (bounded) and otherwise reports
// DumpInterruptedError with the partial data. It must never return a flagged dump as if whole.
const STABLE = 8000; // a dump of ~25 datagrams: plenty of continuation points to race
const ROUNDS = 15;

describeKernel('fault: NLM_F_DUMP_INTR under a concurrent mutator', () => {
  const ns = randomName('intr');
  beforeAll(() => {
    createNetns(ns);
    sh('ip', ['-n', ns, 'link', 'add', 'br0', 'type', 'bridge']);
    const base = Array.from({ length: STABLE }, (_, i) => `addr add 10.${(i >> 8) & 255}.${i & 255}.1/32 dev br0`).join('\n');
    execFileSync('ip', ['-n', ns, '-batch', '-'], { input: `${base}\n` });
  });
  afterAll(() => deleteNetns(ns));

  it('dumps come back consistent or as a typed error with the partial data', async () => {
    // One ip process adding and removing an address as fast as it can.
    const script = `while :; do echo "addr add 10.200.0.1/32 dev br0"; echo "addr del 10.200.0.1/32 dev br0"; done | ip -n ${ns} -force -batch -`;
    // Its own process group, so the whole pipeline (the loop and ip) is killed below, not only sh.
    const mutator = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
    await new Promise((r) => setTimeout(r, 200)); // let the mutator get going
    const conn = connectInNetns(ns);
    const addresses = new Addresses(conn);
    let whole = 0;
    let interrupted = 0;
    try {
      for (let i = 0; i < ROUNDS; i++) {
        try {
          // (No dev filter: the kernel's per-device address dump does not flag races.)
          const list = await addresses.list({ family: 'inet' });
          // A dump that came back is whole: every one of the stable addresses is in it.
          expect(list.filter((a) => a.address.startsWith('10.') && !a.address.startsWith('10.200.')).length).toBe(STABLE);
          whole++;
        } catch (err) {
          expect(err).toBeInstanceOf(DumpInterruptedError);
          // The last attempt's addresses, typed as the listing's own.
          const partial = (err as DumpInterruptedError<{ address: unknown; prefixLength: unknown }>).partial;
          expect(partial.length).toBeGreaterThan(0);
          expect(partial.every((a) => typeof a.address === 'string' && typeof a.prefixLength === 'number')).toBe(true);
          interrupted++;
        }
      }
    } finally {
      const exited = once(mutator, 'exit');
      process.kill(-mutator.pid!, 'SIGKILL');
      await exited;
      conn.close();
    }
    const restarts = conn.stats.dumpRestarts;
    recordFigure('faults injected', restarts + interrupted);
    recordFigure('faults survived', restarts + interrupted);
    expect(whole + interrupted).toBe(ROUNDS);
    // The mutator really interfered: the kernel flagged dumps and they were restarted.
    expect(restarts + interrupted).toBeGreaterThan(0);
  }, 120_000);
});
