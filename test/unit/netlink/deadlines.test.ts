/**
 * Request timeouts shared by every connection (src/netlink/deadlines.ts): one queue and one
 * timer per duration. An entry expires once its time has passed and never when cancelled,
 * whatever the order entries of several durations are added and cancelled in.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Deadlines } from '../../../src/netlink/deadlines.js';

/** The collector, callable without --expose-gc on the command line. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Deadlines', () => {
  it('expires an entry after its duration, not before', async () => {
    const deadlines = new Deadlines();
    const started = performance.now();
    let expiredAfter: number | undefined;
    deadlines.add(40, () => (expiredAfter = performance.now() - started));
    await sleep(20);
    expect(expiredAfter).toBeUndefined();
    await sleep(60);
    expect(expiredAfter).toBeGreaterThanOrEqual(39);
  });

  it('a cancelled entry, still queued until its timer fires, keeps nothing its expiry held alive', async () => {
    const gc = collector();
    const deadlines = new Deadlines();
    // What a finished dump's expiry would reach: its replies (megabytes for a large listing).
    let replies: Uint8Array | undefined = new Uint8Array(1 << 20);
    const held = new WeakRef(replies);
    const entry = deadlines.add(60_000, ((r) => () => r.fill(0))(replies));
    replies = undefined;
    entry.cancel();
    await sleep(0); // a WeakRef target lives at least until the current job ends
    gc();
    expect(held.deref()).toBeUndefined();
  });

  it('never expires a cancelled entry, and still expires the ones after it', async () => {
    const deadlines = new Deadlines();
    const expired: string[] = [];
    const first = deadlines.add(30, () => expired.push('first'));
    await sleep(5);
    deadlines.add(30, () => expired.push('second'));
    first.cancel();
    await sleep(80);
    expect(expired).toEqual(['second']);
  });

  it('expires entries added over time each at its own time (the timer is re-armed for what is left)', async () => {
    const deadlines = new Deadlines();
    const started = performance.now();
    const at: Record<string, number> = {};
    deadlines.add(30, () => (at.a = performance.now() - started));
    await sleep(25);
    deadlines.add(30, () => (at.b = performance.now() - started));
    await sleep(15);
    expect(Object.keys(at)).toEqual(['a']);
    await sleep(50);
    expect(at.b).toBeGreaterThanOrEqual(54);
  });

  it('keeps durations apart: a short one added after a long one expires first', async () => {
    const deadlines = new Deadlines();
    const expired: string[] = [];
    deadlines.add(60, () => expired.push('long'));
    deadlines.add(10, () => expired.push('short'));
    await sleep(35);
    expect(expired).toEqual(['short']);
    await sleep(60);
    expect(expired).toEqual(['short', 'long']);
  });

  it('cancels many entries in and out of order without expiring any of them', async () => {
    const deadlines = new Deadlines();
    let expired = 0;
    const entries = Array.from({ length: 1000 }, () => deadlines.add(20, () => expired++));
    // Every other one first (holes), then the rest in order: compaction must not lose track.
    for (let i = 1; i < entries.length; i += 2) entries[i]!.cancel();
    for (let i = 0; i < entries.length; i += 2) entries[i]!.cancel();
    const kept = deadlines.add(20, () => expired++);
    await sleep(60);
    expect(expired).toBe(1);
    kept.cancel();
  });

  it('lets an expiry add a new entry (a retry) that expires in turn', async () => {
    const deadlines = new Deadlines();
    const expired: number[] = [];
    deadlines.add(10, () => {
      expired.push(1);
      deadlines.add(10, () => expired.push(2));
    });
    await sleep(60);
    expect(expired).toEqual([1, 2]);
  });
});
