/**
 * The data register (enum nft_data_attributes): either a value of up to 64 bytes
 * (NFTA_DATA_VALUE, in the byte order of whatever it is compared with or loaded into) or a
 * verdict (NFTA_DATA_VERDICT: a code and, for jump and goto, a chain). cmp, range, bitwise and
 * immediate carry one; so do set elements (keys and map data).
 */
import { defineAttributeSet, type AttributeValues } from '../../netlink/attribute-set.js';
import type { FieldCodec } from '../../netlink/field.js';
import { directBytesWriter, withDirectWriter } from '../../netlink/direct-write.js';
import { binary, cstring, enumOf, s32be, u32be } from '../../netlink/fields.js';
import { NFT_DATA_VALUE_MAXLEN, NftaData, NftaVerdict, VerdictCode, type VerdictCodeName } from './constants.js';

/** NFTA_DATA_VALUE: 1 to NFT_DATA_VALUE_MAXLEN bytes (the kernel rejects an empty value). */
export const dataValueCodec: FieldCodec<Uint8Array> = withDirectWriter({
  ...binary,
  kind: 'data-value',
  validate(v) {
    if (!(v instanceof Uint8Array)) return 'must be a Uint8Array';
    return v.length >= 1 && v.length <= NFT_DATA_VALUE_MAXLEN ? undefined : `must be 1 to ${NFT_DATA_VALUE_MAXLEN} bytes, got ${v.length}`;
  },
}, () => directBytesWriter(1, NFT_DATA_VALUE_MAXLEN));

/** enum nft_verdict_attributes */
export const verdictCodec = defineAttributeSet('verdict', {
  code: { type: NftaVerdict.NFTA_VERDICT_CODE, codec: enumOf(s32be, VerdictCode) }, // NFTA_VERDICT_CODE
  chain: { type: NftaVerdict.NFTA_VERDICT_CHAIN, codec: cstring }, // NFTA_VERDICT_CHAIN (jump, goto)
  chainId: { type: NftaVerdict.NFTA_VERDICT_CHAIN_ID, codec: u32be }, // NFTA_VERDICT_CHAIN_ID (a chain added in the same batch)
});
export type Verdict = AttributeValues<typeof verdictCodec.specs>;

/** enum nft_data_attributes */
export const dataCodec = defineAttributeSet('data', {
  value: { type: NftaData.NFTA_DATA_VALUE, codec: dataValueCodec }, // NFTA_DATA_VALUE
  verdict: { type: NftaData.NFTA_DATA_VERDICT, codec: verdictCodec }, // NFTA_DATA_VERDICT
});
export type Data = AttributeValues<typeof dataCodec.specs>;

/** A verdict value: `verdict('accept')`, `verdict('jump', 'other')`. */
export function verdict(code: VerdictCodeName | number, chain?: string): Data {
  return { verdict: chain === undefined ? { code } : { code, chain } };
}

/** A data value holding `bytes`. */
export function value(bytes: Uint8Array): Data {
  return { value: bytes };
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A value as libnftnl prints registers: 32-bit words in host byte order, `0x%08x` each, the
 * last word zero-padded (`0x000fa8c0` for the three bytes c0 a8 0f on a little-endian host).
 */
export function describeValue(bytes: Uint8Array | undefined): string {
  if (!bytes || bytes.length === 0) return '';
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    const word = new Uint8Array(4);
    word.set(bytes.subarray(i, i + 4));
    const n = new DataView(word.buffer).getUint32(0, HOST_LITTLE_ENDIAN);
    out.push(`0x${n.toString(16).padStart(8, '0')}`);
  }
  return out.join(' ');
}

/** A verdict as libnftnl prints it: `accept`, `jump -> chain`. */
export function describeVerdict(v: Verdict | undefined): string {
  const code = v?.code;
  const name = typeof code === 'string' ? code : 'unknown';
  return v?.chain === undefined ? name : `${name} -> ${v.chain}`;
}

/** A data register: the value's words, or the verdict. */
export function describeData(d: Data | undefined): string {
  if (d?.value !== undefined) return describeValue(d.value);
  if (d?.verdict !== undefined) return describeVerdict(d.verdict);
  return '';
}
