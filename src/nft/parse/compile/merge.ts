/**
 * nft's merge of adjacent payload matches (stmt_reduce / payload_do_merge in nftables 1.0.6):
 * `tcp sport 1 tcp dport 2` loads the four bytes of both ports once and compares them in one
 * cmp. Rules, as nft 1.0.6 applies them:
 *  - candidates are payload matches on whole bytes against a constant, with eq or neq;
 *  - a statement that is not a match ends a run of candidates, but only once the run holds two
 *    or more (nft 1.0.6 keeps a single candidate across it: `udp sport 1 counter udp dport 2`
 *    merges both ports before the counter);
 *  - a run is sorted by header and offset; neighbours merge when adjacent, of the same
 *    operator, at most 16 bytes together, and either at most 4 bytes together, or in the link
 *    header, or one of them already longer than 4 bytes (nft keeps the kernel's fast path for
 *    loads of 4 bytes or less);
 *  - the merged match takes the place of the first of the pair in header order, except when
 *    the second selects a protocol (`ip protocol`), which keeps its place.
 */
import { NFT_REG32_SIZE, NFT_REG_SIZE, PayloadBase } from '../../expressions/constants.js';
import type { Ir, PayloadMatchIr } from './ir.js';

function adjacent(a: PayloadMatchIr, b: PayloadMatchIr): boolean {
  return a.place.base === b.place.base && a.place.offset + a.place.len === b.place.offset;
}

function canMerge(a: PayloadMatchIr, b: PayloadMatchIr): boolean {
  if (!adjacent(a, b) || a.op !== b.op || a.place.mask || b.place.mask) return false;
  const total = a.place.len + b.place.len;
  if (total > NFT_REG_SIZE) return false;
  if (total <= NFT_REG32_SIZE) return true;
  if (a.place.base === 'link') return true;
  return a.place.len > NFT_REG32_SIZE || b.place.len > NFT_REG32_SIZE;
}

function join(a: PayloadMatchIr, b: PayloadMatchIr): PayloadMatchIr {
  const value = new Uint8Array(a.value.length + b.value.length);
  value.set(a.value);
  value.set(b.value, a.value.length);
  return {
    kind: 'payload-match',
    place: { ...a.place, len: a.place.len + b.place.len, protocolKey: a.place.protocolKey || b.place.protocolKey },
    op: a.op,
    value,
    span: { start: Math.min(a.span.start, b.span.start), end: Math.max(a.span.end, b.span.end) },
  };
}

function baseOrder(base: string): number {
  return (PayloadBase as Record<string, number>)[base] ?? 0;
}

/** Merge one run of candidates (indexes into `list`), replacing statements in place. */
function mergeRun(list: Array<Ir | undefined>, run: number[]): void {
  const sorted = [...run].sort((x, y) => {
    const a = list[x] as PayloadMatchIr;
    const b = list[y] as PayloadMatchIr;
    return baseOrder(a.place.base) - baseOrder(b.place.base) || a.place.offset - b.place.offset;
  });
  let last = sorted[0]!;
  for (let i = 1; i < sorted.length; i++) {
    const at = sorted[i]!;
    const a = list[last] as PayloadMatchIr;
    const b = list[at] as PayloadMatchIr;
    if (!canMerge(a, b)) {
      last = at;
      continue;
    }
    const merged = join(a, b);
    if (b.place.protocolKey) {
      // Keep the protocol match's position; the other statement goes.
      list[at] = merged;
      list[last] = undefined;
      last = at;
    } else {
      list[last] = merged;
      list[at] = undefined;
    }
  }
}

/** The statements with adjacent payload matches merged as nft 1.0.6 merges them. */
export function mergePayloadMatches(statements: readonly Ir[]): Ir[] {
  const list: Array<Ir | undefined> = [...statements];
  let run: number[] = [];
  list.forEach((ir, i) => {
    if (ir!.kind === 'exprs') {
      if (ir!.fence && run.length >= 2) {
        mergeRun(list, run);
        run = [];
      }
      return;
    }
    if (!ir!.prefix) run.push(i);
  });
  if (run.length >= 2) mergeRun(list, run);
  return list.filter((ir): ir is Ir => ir !== undefined);
}
