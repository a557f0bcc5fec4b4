/**
 * Small byte arrays as regions of a shared pool, as Node pools small Buffers. A Uint8Array of
 * its own also makes an ArrayBuffer (88 bytes on V8's heap beside the view's 96, and its bytes
 * outside the heap, whose allocation and collection cost more than filling them): decoded
 * short values (fields.ts) and the first buffer of a request body (writer.ts) take a region
 * here instead. Regions are never handed out twice, so each starts zeroed, as a new array
 * would; a view keeps its pool alive; its `buffer` is the pool and `byteOffset` its place in
 * it, as for a pooled Buffer.
 */
export const POOL_BYTES = 16 * 1024;

let pool = new ArrayBuffer(POOL_BYTES);
let used = 0;

/** `size` zeroed bytes of their own (at most POOL_BYTES), 8-byte aligned as a fresh array is. */
export function pooledBytes(size: number): Uint8Array {
  if (used + size > POOL_BYTES) {
    pool = new ArrayBuffer(POOL_BYTES);
    used = 0;
  }
  const out = new Uint8Array(pool, used, size);
  used = (used + size + 7) & ~7;
  return out;
}
