/** Shared helpers of the parser's corpus tests. */
import type { FieldCodec } from '../../../src/netlink/field.js';
import { writeRawAttributes, type RawAttribute } from '../../../src/netlink/raw-attributes.js';
import { Writer } from '../../../src/netlink/writer.js';

export { loadCorpus, batchSets, type CorpusFixture } from '../nft/expr-fixtures.js';

/** Attribute bytes: of a value encoded with `codec`, or of raw attributes as captured. */
export function encodeRawAttributesForTest(codec: FieldCodec<any> | null, value: unknown): Uint8Array {
  const w = new Writer();
  if (codec) codec.encode(w, value, '');
  else writeRawAttributes(w, value as RawAttribute[], '');
  return w.finish().slice();
}
