/**
 * Pieces shared by the per-kind IFLA_INFO_DATA codecs.
 */
import { DecodeError } from '../../errors.js';
import type { FieldCodec } from '../../field.js';
import { binary, u8 } from '../../fields.js';
import { defineStruct } from '../../struct.js';
import type { Direction } from '../link-direction.js';

/** A nest whose content this version does not interpret, kept byte-exact (NLA_F_NESTED set). */
export const opaqueNest: FieldCodec<Uint8Array> = { ...binary, kind: 'nest(opaque)', nested: true };

/**
 * A boolean option the kernel reports as a u8 (0/1) but some kernels and tools send as a
 * zero-length NLA_FLAG (e.g. IFLA_VXLAN_TTL_INHERIT): `true` for the flag form, the number
 * for the u8 form, so both re-encode exactly.
 */
export const flagOrU8: FieldCodec<true | number> = {
  kind: 'flag|u8',
  encode(w, v, path) {
    if (v !== true) u8.encode(w, v, path);
  },
  decode(bytes, at, path) {
    if (bytes.length === 0) return true;
    if (bytes.length !== 1) throw new DecodeError(path, at, `want 0 or 1 bytes, got ${bytes.length}`);
    return bytes[0]!;
  },
  validate(v) {
    return v === true || (Number.isInteger(v) && v >= 0 && v <= 0xff) ? undefined : 'must be true or an integer from 0 to 255';
  },
  shape: { t: 'int', min: 0, max: 0xff },
};

/** struct ifla_bridge_id: STP bridge identifier (priority, then MAC address). */
export const iflaBridgeId = defineStruct('ifla_bridge_id', {
  priority: 'u16be',
  address: { bytes: 6 },
});

/** What a link kind contributes to IFLA_LINKINFO. */
export interface LinkKindCodecs {
  /** IFLA_INFO_KIND value, e.g. `veth`. */
  readonly kind: string;
  /** IFLA_INFO_DATA of links of this kind (absent: the kind has none; it is kept opaque). */
  readonly data?: FieldCodec<any> | ((context: LinkKindContext) => FieldCodec<any>);
  /** IFLA_INFO_SLAVE_DATA of ports whose master is of this kind. */
  readonly slaveData?: FieldCodec<any>;
}

/** What kind codecs may depend on: veth's peer is a whole link message. */
export interface LinkKindContext {
  readonly direction: Direction;
  /** ifinfomsg + link attributes, as VETH_INFO_PEER carries them. */
  readonly linkMessage: FieldCodec<any>;
}
