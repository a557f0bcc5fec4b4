/**
 * The pending table (pending-table.ts): a batch's messages hold a block of sequence numbers
 * and get an entry only when a reply names one — once: an entry answered and dropped is not
 * made again — and the numbers of requests and other batches stay out of the block.
 */
import { describe, expect, it } from 'vitest';
import type { Pending } from '../../src/netlink/pending.js';
import { PendingTable, type SeqBlock } from '../../src/netlink/pending-table.js';

const entry = (seq: number): Pending => ({ seq }) as Pending;

function block(first: number, count: number): SeqBlock & { asked: number[] } {
  const asked: number[] = [];
  return {
    first,
    count,
    run: { overran: false, error: undefined },
    made: new Array(count),
    asked,
    make: (i) => {
      asked.push(i);
      return entry(first + i);
    },
  };
}

describe('PendingTable', () => {
  it('makes a batch message entry when its number is asked for, once', () => {
    const table = new PendingTable();
    const b = block(100, 10);
    table.addBlock(b);
    expect(table.isEmpty).toBe(false);
    expect(b.asked).toEqual([]);
    const p = table.get(104)!;
    expect(p.seq).toBe(104);
    expect(table.get(104)).toBe(p);
    expect(b.asked).toEqual([4]);
    expect(b.made[4]).toBe(p);
    // Answered and dropped: later replies to it are unmatched, and it is not made again.
    table.drop(p);
    expect(table.get(104)).toBeUndefined();
    expect(b.asked).toEqual([4]);
    expect(table.get(99)).toBeUndefined();
    expect(table.get(110)).toBeUndefined();
  });

  it('counts a block as taken, and finds free numbers around requests and other blocks', () => {
    const table = new PendingTable();
    table.set(5, entry(5));
    table.addBlock(block(10, 5)); // 10 … 14
    expect([4, 5, 9, 10, 14, 15].map((s) => table.has(s))).toEqual([false, true, false, true, true, false]);
    expect(table.freeBlock(1, 4)).toBe(1); // 1 … 4
    expect(table.freeBlock(3, 4)).toBe(6); // past 5: 6 … 9
    expect(table.freeBlock(7, 4)).toBe(15); // 7 … 10 meets the block: after it
    // Never 0, never past 2^32 - 1: wraps to 1.
    expect(table.freeBlock(0, 2)).toBe(1);
    expect(table.freeBlock(2 ** 32 - 2, 4)).toBe(1);
    expect(table.freeBlock(2 ** 32 - 4, 4)).toBe(2 ** 32 - 4);
    expect(() => table.freeBlock(1, 0)).toThrow(RangeError);
  });

  it('removes a block with the entries made for it, and lists what is in flight', () => {
    const table = new PendingTable();
    const b = block(20, 3);
    table.addBlock(b);
    table.set(7, entry(7));
    const made = table.get(21)!;
    expect(table.entries().map((p) => p.seq).sort()).toEqual([21, 7].sort());
    expect(table.runs()).toEqual([b.run]);
    table.removeBlock(b);
    expect(table.entries().map((p) => p.seq)).toEqual([7]);
    expect(table.runs()).toEqual([]);
    expect(table.has(21)).toBe(false);
    expect(b.made[1]).toBe(made);
    table.drop(entry(7)); // another object with the same number: not the entry, kept
    expect(table.isEmpty).toBe(false);
    table.clear();
    expect(table.isEmpty).toBe(true);
  });
});
