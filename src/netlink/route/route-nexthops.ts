/**
 * RTA_MULTIPATH: a list of struct rtnexthop, each followed by its own RTA_* attributes
 * (gateway, via, flow, encap). rtnh_len covers the struct and its attributes; entries start on
 * 4-byte boundaries (RTNH_ALIGN).
 */
import { defineAttributeSet, type AttributeValues } from '../attribute-set.js';
import { DecodeError } from '../errors.js';
import type { FieldCodec } from '../field.js';
import { binary, enumOf, flagsOf, ipAddress, u16, u32, u8 } from '../fields.js';
import { defineStruct } from '../struct.js';
import { align4 } from '../writer.js';
import { encapTypeNames, RtaAttr } from './route-constants.js';
import { routeVia } from './route-via.js';

/** rtnh_flags (RTNH_F_*); the same bits appear in the low byte of rtm_flags. */
export const RtnhFlag = {
  RTNH_F_DEAD: 1,
  RTNH_F_PERVASIVE: 2,
  RTNH_F_ONLINK: 4,
  RTNH_F_OFFLOAD: 8,
  RTNH_F_LINKDOWN: 16,
  RTNH_F_UNRESOLVED: 32,
  RTNH_F_TRAP: 64,
} as const;

/** Next-hop flags as `ip route` prints them. */
export const nexthopFlagNames = {
  dead: RtnhFlag.RTNH_F_DEAD,
  pervasive: RtnhFlag.RTNH_F_PERVASIVE,
  onlink: RtnhFlag.RTNH_F_ONLINK,
  offload: RtnhFlag.RTNH_F_OFFLOAD,
  linkdown: RtnhFlag.RTNH_F_LINKDOWN,
  unresolved: RtnhFlag.RTNH_F_UNRESOLVED,
  trap: RtnhFlag.RTNH_F_TRAP,
} as const;

/** struct rtnexthop; rtnh_len is computed when encoding. */
export const rtnexthop = defineStruct('rtnexthop', {
  len: 'u16',
  flags: 'u8',
  hops: 'u8',
  ifindex: 's32',
});

/** The RTA_* attributes that may follow one rtnexthop. */
export const nexthopAttributes = defineAttributeSet('nexthop', {
  gateway: { type: RtaAttr.RTA_GATEWAY, codec: ipAddress },
  flow: { type: RtaAttr.RTA_FLOW, codec: u32 },
  via: { type: RtaAttr.RTA_VIA, codec: routeVia },
  newdst: { type: RtaAttr.RTA_NEWDST, codec: binary },
  encapType: { type: RtaAttr.RTA_ENCAP_TYPE, codec: enumOf(u16, encapTypeNames) },
  encap: { type: RtaAttr.RTA_ENCAP, codec: binary },
});
export type NexthopAttributes = AttributeValues<typeof nexthopAttributes.specs>;

const nexthopFlags = flagsOf(u8, nexthopFlagNames);
const RTNH_HEADER = rtnexthop.size;

/** One next hop of a multipath route. `hops` is the weight minus one. */
export interface RouteNexthop {
  flags: Array<keyof typeof nexthopFlagNames | number>;
  hops: number;
  ifindex: number;
  attributes: NexthopAttributes;
}

const HOPS_MAX = 0xff;
const IFINDEX_MIN = -(2 ** 31);
const IFINDEX_MAX = 2 ** 31 - 1;

export const routeNexthops: FieldCodec<RouteNexthop[]> = {
  kind: 'rtnexthop[]',
  encode(w, list, path) {
    list.forEach((nh, i) => {
      const where = `${path}[${i}]`;
      const start = w.length;
      w.u16(0); // rtnh_len, patched below
      nexthopFlags.encode(w, nh.flags, `${where}.flags`);
      w.u8(nh.hops);
      w.s32(nh.ifindex);
      nexthopAttributes.encode(w, nh.attributes ?? {}, where);
      w.patchU16(start, w.length - start);
    });
  },
  decode(b, at, path) {
    const out: RouteNexthop[] = [];
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let pos = 0;
    while (pos < b.length) {
      const where = `${path}[${out.length}]`;
      if (b.length - pos < RTNH_HEADER) throw new DecodeError(where, at + pos, `${b.length - pos} trailing bytes, too short for struct rtnexthop`);
      const len = view.getUint16(pos, true);
      if (len < RTNH_HEADER || pos + len > b.length) throw new DecodeError(where, at + pos, `rtnh_len ${len} does not fit (${b.length - pos} bytes left)`);
      out.push({
        flags: nexthopFlags.decode(b.subarray(pos + 2, pos + 3), at + pos + 2, `${where}.flags`),
        hops: view.getUint8(pos + 3),
        ifindex: view.getInt32(pos + 4, true),
        attributes: nexthopAttributes.decode(b.subarray(pos + RTNH_HEADER, pos + len), at + pos + RTNH_HEADER, where),
      });
      pos += align4(len);
    }
    return out;
  },
  validate(list) {
    if (!Array.isArray(list)) return 'must be an array of next hops';
    for (const [i, nh] of list.entries()) {
      if (nh === null || typeof nh !== 'object') return `[${i}] must be a next hop object`;
      if (!Number.isInteger(nh.hops) || nh.hops < 0 || nh.hops > HOPS_MAX) return `[${i}].hops must be 0 to ${HOPS_MAX}`;
      if (!Number.isInteger(nh.ifindex) || nh.ifindex < IFINDEX_MIN || nh.ifindex > IFINDEX_MAX) return `[${i}].ifindex must be a 32-bit integer`;
      if (!Array.isArray(nh.flags)) return `[${i}].flags must be an array`;
    }
    return undefined;
  },
};
