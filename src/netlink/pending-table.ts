/**
 * The connection's requests in flight, by sequence number — and its batches, whose messages
 * hold a block of consecutive sequence numbers with no entry of their own until a reply names
 * one. A batch's kernel answers few of its messages (nf_tables, by default, only the failed
 * ones and BATCH_END): an entry and a map slot per message were a third of what a
 * 10,000-rule batch allocated, for nothing.
 *
 * An entry made for a reply is kept in the map like any other, so dropping it (`drop`)
 * makes later replies to it unmatched; it is not made again.
 */
import type { BatchRun, Pending } from './pending.js';

/** A batch's block of sequence numbers: `first` … `first + count - 1`. */
export interface SeqBlock {
  readonly first: number;
  readonly count: number;
  /** What happened to the batch (the connection marks it on ENOBUFS, a failed read, close). */
  readonly run: BatchRun;
  /** Make the entry of the message at `index` (asked once at most). */
  make(index: number): Pending;
  /** The entries made so far, by index (undefined: none yet); the table fills it in. */
  readonly made: (Pending | undefined)[];
}

const U32_RANGE = 2 ** 32;

export class PendingTable {
  private readonly bySeq = new Map<number, Pending>();
  private readonly blocks: SeqBlock[] = [];

  /** Whether anything is in flight (an entry, or a batch). */
  get isEmpty(): boolean {
    return this.bySeq.size === 0 && this.blocks.length === 0;
  }

  /** The entry for `seq`: a request's, or a batch message's (made now, the first time). */
  get(seq: number): Pending | undefined {
    const p = this.bySeq.get(seq);
    if (p !== undefined || this.blocks.length === 0) return p;
    const block = this.blockOf(seq);
    if (block === undefined) return undefined;
    const index = seq - block.first;
    if (block.made[index] !== undefined) return undefined; // made, answered and dropped
    const made = block.make(index);
    block.made[index] = made;
    this.bySeq.set(seq, made);
    return made;
  }

  /** Whether `seq` is taken (by an entry or a batch's block). */
  has(seq: number): boolean {
    return this.bySeq.has(seq) || this.blockOf(seq) !== undefined;
  }

  set(seq: number, p: Pending): void {
    this.bySeq.set(seq, p);
  }

  /** Drop `p` (replies to its sequence number are unmatched from now on). */
  drop(p: Pending): void {
    if (this.bySeq.get(p.seq) === p) this.bySeq.delete(p.seq);
  }

  /** The entries in flight (a batch's: those made so far). */
  entries(): Pending[] {
    return [...this.bySeq.values()];
  }

  /** The runs of the batches in flight. */
  runs(): BatchRun[] {
    return this.blocks.map((b) => b.run);
  }

  /**
   * The first of `count` consecutive free sequence numbers from `from` on (never 0, never
   * wrapping past 2^32 - 1).
   */
  freeBlock(from: number, count: number): number {
    if (count < 1 || count > U32_RANGE / 2) throw new RangeError(`a block of ${count} sequence numbers`);
    let first = from;
    for (;;) {
      if (first === 0 || first + count > U32_RANGE) first = 1;
      const end = first + count;
      let clash = -1;
      for (const seq of this.bySeq.keys()) if (seq >= first && seq < end && seq > clash) clash = seq;
      for (const block of this.blocks) {
        const last = block.first + block.count - 1;
        if (block.first < end && last >= first && last > clash) clash = last;
      }
      if (clash < 0) return first;
      first = clash + 1;
    }
  }

  /** Add a batch's block (its numbers from freeBlock). */
  addBlock(block: SeqBlock): void {
    this.blocks.push(block);
  }

  /** Remove a batch's block and every entry made for it (its `made` stays as it was). */
  removeBlock(block: SeqBlock): void {
    const at = this.blocks.indexOf(block);
    if (at < 0) return;
    for (const p of block.made) if (p !== undefined) this.drop(p);
    this.blocks.splice(at, 1);
  }

  /** Empty the table (the connection closed). */
  clear(): void {
    this.bySeq.clear();
    this.blocks.length = 0;
  }

  private blockOf(seq: number): SeqBlock | undefined {
    for (const block of this.blocks) if (seq >= block.first && seq - block.first < block.count) return block;
    return undefined;
  }
}
