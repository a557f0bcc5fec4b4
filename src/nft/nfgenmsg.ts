/**
 * nfnetlink framing: every nf_tables message body is a 4-byte `struct nfgenmsg` (family,
 * version, res_id — big-endian) followed by big-endian attributes. The message type is
 * `(subsystem << 8) | message`.
 */
import type { FieldCodec } from '../netlink/field.js';
import type { MessageCodec } from '../netlink/registry.js';
import { defineStruct } from '../netlink/struct.js';
import type { Writer } from '../netlink/writer.js';
import { NfnlSubsys, NFNETLINK_V0, NFNL_MSG_TYPE_MASK, NFNL_SUBSYS_SHIFT, NfProto, type NfProtoName } from './constants.js';

/** struct nfgenmsg */
export const nfgenmsg = defineStruct('nfgenmsg', {
  family: 'u8', // nfgen_family
  version: 'u8', // version (NFNETLINK_V0)
  resId: 'u16be', // res_id: subsystem id in batch delimiters, generation (low 16 bits) in replies
});

/** A family by nft's name (`ip`, `inet` …), or its NFPROTO number when this version does not know it. */
export type NfFamily = NfProtoName | number;


/** The decoded body of an nfnetlink message: the nfgenmsg fields and the attributes. */
export interface NfnlBody<A> {
  family: NfFamily;
  /** nfgenmsg.version, NFNETLINK_V0 (0) in every message so far. */
  version: number;
  /** nfgenmsg.res_id (host order after decoding). */
  resId: number;
  attributes: A;
}

/** NFPROTO number of a family name or number (for building messages). */
export function familyNumber(family: NfFamily): number {
  return typeof family === 'number' ? family : NfProto[family];
}

/** NFPROTO numbers → nft's names (the first name of a number wins, as enumOf decodes). */
const FAMILY_NAMES = new Map<number, NfProtoName>();
for (const [name, value] of Object.entries(NfProto) as [NfProtoName, number][]) if (!FAMILY_NAMES.has(value)) FAMILY_NAMES.set(value, name);

/** nft's name of an NFPROTO number, or the number itself. */
export function familyName(n: number): NfFamily {
  return FAMILY_NAMES.get(n) ?? n;
}

/** `(NFNL_SUBSYS_NFTABLES << 8) | msg` */
export function nftMessageType(msg: number): number {
  return (NfnlSubsys.NFNL_SUBSYS_NFTABLES << NFNL_SUBSYS_SHIFT) | msg;
}

export function subsystemOf(type: number): number {
  return type >> NFNL_SUBSYS_SHIFT;
}

export function messageOf(type: number): number {
  return type & NFNL_MSG_TYPE_MASK;
}

/** Write an nfgenmsg header. */
export function writeNfgenmsg(w: Writer, family: NfFamily, resId = 0, version = NFNETLINK_V0): void {
  nfgenmsg.encode(w, { family: familyNumber(family), version, resId }, 'nfgenmsg');
}

/**
 * A message codec for one nfnetlink message type whose attributes are the set `attributes`:
 * nfgenmsg first, attributes after it. `at` offsets in errors count from the nlmsghdr.
 */
export function nfnlMessageCodec<A>(name: string, attributes: FieldCodec<A>): MessageCodec<NfnlBody<A>> {
  return {
    name,
    decode(payload, _flags, at) {
      const header = nfgenmsg.decodeAt(payload, at, `${name}.nfgenmsg`);
      return {
        family: familyName(header.family),
        version: header.version,
        resId: header.resId,
        attributes: attributes.decode(payload.subarray(nfgenmsg.size), at + nfgenmsg.size, ''),
      };
    },
    encode(w, value) {
      writeNfgenmsg(w, value.family, value.resId, value.version);
      attributes.encode(w, value.attributes, '');
    },
  };
}
