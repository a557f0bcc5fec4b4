/**
 * IFLA_LINKINFO: the link's kind and its kind-specific data (<linux/if_link.h> IFLA_INFO_*).
 * IFLA_INFO_DATA is decoded with the codec of IFLA_INFO_KIND, IFLA_INFO_SLAVE_DATA with the
 * codec of the master's kind; kinds nobody registered keep their data as opaque bytes.
 */
import { defineAttributeSet, type AttributeSet } from '../../attribute-set.js';
import { NLA_HDRLEN, NLA_TYPE_MASK } from '../../constants.js';
import { ValidationError } from '../../errors.js';
import type { FieldCodec } from '../../field.js';
import { binary, cstring, rawString } from '../../fields.js';
import { decodeKernelText } from '../../text.js';
import type { RawAttribute } from '../../raw-attributes.js';
import { align4 } from '../../writer.js';
import { IflaInfo } from '../link-constants.js';
import type { Direction } from '../link-direction.js';
import { bridgeKind, type BridgeData } from './bridge.js';
import type { BridgePortData } from './bridge-port.js';
import type { LinkKindCodecs, LinkKindContext } from './common.js';
import { ifbKind } from './ifb.js';
import { macvlanKind, type MacvlanData } from './macvlan.js';
import { tunKind, type TunData } from './tun.js';
import { vethKind, type VethData } from './veth.js';
import { vxlanKind, type VxlanData } from './vxlan.js';

/** The link kinds this version decodes, by IFLA_INFO_KIND. */
export const linkKinds: ReadonlyMap<string, LinkKindCodecs> = new Map(
  [vethKind, bridgeKind, macvlanKind, vxlanKind, ifbKind, tunKind].map((k) => [k.kind, k]),
);

/** IFLA_INFO_DATA: typed for known kinds, bytes for the others. */
export type LinkInfoData = VethData | BridgeData | MacvlanData | VxlanData | TunData | Uint8Array;
/** IFLA_INFO_SLAVE_DATA: typed for ports of known masters (bridge), bytes otherwise. */
export type LinkSlaveData = BridgePortData | Uint8Array;

/** The decoded IFLA_LINKINFO nest. */
export interface LinkInfo {
  kind?: string;
  data?: LinkInfoData;
  xstats?: Uint8Array;
  slaveKind?: string;
  slaveData?: LinkSlaveData;
  unknown?: RawAttribute[];
}

/**
 * Quirk of iproute2: `ip link set X type bridge_slave …` sends IFLA_INFO_KIND "bridge_slave"
 * (not IFLA_INFO_SLAVE_KIND) beside IFLA_INFO_SLAVE_DATA; the kernel decodes the slave data
 * with the master's policy regardless. So a kind ending in `_slave` names the master's kind.
 */
const SLAVE_SUFFIX = '_slave';
export function slaveKindOf(kind: string | undefined, slaveKind: string | undefined): string | undefined {
  if (slaveKind !== undefined) return slaveKind;
  return kind?.endsWith(SLAVE_SUFFIX) ? kind.slice(0, -SLAVE_SUFFIX.length) : undefined;
}

const ASCII_LIMIT = 0x80;

/** A kind name up to its NUL; kind names are short ASCII, so that case avoids TextDecoder. */
function kindName(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c === 0) return text;
    if (c >= ASCII_LIMIT) {
      const payload = bytes.subarray(start, end);
      const nul = payload.indexOf(0);
      return decodeKernelText(nul >= 0 ? payload.subarray(0, nul) : payload);
    }
    text += String.fromCharCode(c);
  }
  return text;
}

/** IFLA_INFO_KIND and IFLA_INFO_SLAVE_KIND of a linkinfo payload, read without decoding the rest. */
export function peekLinkKinds(bytes: Uint8Array): { kind?: string; slaveKind?: string } {
  const out: { kind?: string; slaveKind?: string } = {};
  for (let pos = 0; pos + NLA_HDRLEN <= bytes.length; ) {
    const len = bytes[pos]! | (bytes[pos + 1]! << 8);
    const type = (bytes[pos + 2]! | (bytes[pos + 3]! << 8)) & NLA_TYPE_MASK;
    // A malformed nest is reported by the full decode that follows, with its path.
    if (len < NLA_HDRLEN || pos + len > bytes.length) break;
    if (type === IflaInfo.IFLA_INFO_KIND || type === IflaInfo.IFLA_INFO_SLAVE_KIND) {
      const text = kindName(bytes, pos + NLA_HDRLEN, pos + len);
      if (type === IflaInfo.IFLA_INFO_KIND) out.kind = text;
      else out.slaveKind = text;
    }
    pos += align4(len);
  }
  return out;
}

/**
 * Data must match its kind: bytes for kinds without a codec, an object of attributes for the
 * others (a mismatch would otherwise be written as garbage).
 */
function checkDataForm(codec: FieldCodec<any>, data: unknown, path: string, kind: string | undefined): void {
  if (data === undefined) return;
  const opaque = codec === binary;
  if (opaque && !(data instanceof Uint8Array)) {
    throw new ValidationError(path, `kind ${kind === undefined ? '(none)' : JSON.stringify(kind)} has no typed data here: give it as bytes`, data);
  }
  if (!opaque && (data instanceof Uint8Array || data === null || typeof data !== 'object')) {
    throw new ValidationError(path, `kind ${JSON.stringify(kind)} takes its data as an object of attributes`, data);
  }
}

/** Key for the set cache: only known kinds get their own entry, so the cache stays bounded. */
const OPAQUE = '';

/**
 * The IFLA_LINKINFO codec for one direction. `linkMessage` is the codec of a whole link
 * message body (ifinfomsg + attributes), which veth's VETH_INFO_PEER carries.
 */
export function linkInfoCodec(direction: Direction, linkMessage: FieldCodec<any>): FieldCodec<LinkInfo> {
  // iproute2 sends kind names without the NUL, the kernel with it.
  const kindText = direction === 'request' ? rawString : cstring;
  const context: LinkKindContext = { direction, linkMessage };
  const dataCodecs = new Map<string, FieldCodec<any>>();
  const sets = new Map<string, AttributeSet<any>>();

  function dataCodec(kind: string): FieldCodec<any> {
    let codec = dataCodecs.get(kind);
    if (!codec) {
      const data = linkKinds.get(kind)?.data;
      codec = typeof data === 'function' ? data(context) : (data ?? binary);
      dataCodecs.set(kind, codec);
    }
    return codec;
  }

  function setFor(kind: string | undefined, slaveKind: string | undefined): AttributeSet<any> {
    const dataKey = kind !== undefined && linkKinds.get(kind)?.data ? kind : OPAQUE;
    const master = slaveKindOf(kind, slaveKind);
    const slaveKey = master !== undefined && linkKinds.get(master)?.slaveData ? master : OPAQUE;
    const key = `${dataKey}/${slaveKey}`;
    let set = sets.get(key);
    if (!set) {
      set = defineAttributeSet('linkinfo', {
        kind: { type: IflaInfo.IFLA_INFO_KIND, codec: kindText },
        data: { type: IflaInfo.IFLA_INFO_DATA, codec: dataKey === OPAQUE ? binary : dataCodec(dataKey) },
        xstats: { type: IflaInfo.IFLA_INFO_XSTATS, codec: binary },
        slaveKind: { type: IflaInfo.IFLA_INFO_SLAVE_KIND, codec: kindText },
        slaveData: { type: IflaInfo.IFLA_INFO_SLAVE_DATA, codec: slaveKey === OPAQUE ? binary : linkKinds.get(slaveKey)!.slaveData! },
      }, { nested: false });
      sets.set(key, set);
    }
    return set;
  }

  return {
    kind: 'nested(linkinfo)',
    nested: false,
    decode(bytes, at, path) {
      const { kind, slaveKind } = peekLinkKinds(bytes);
      return setFor(kind, slaveKind).decode(bytes, at, path) as LinkInfo;
    },
    encode(w, value, path) {
      if (value === null || typeof value !== 'object') throw new ValidationError(path || 'linkinfo', 'must be an object', value);
      const set = setFor(value.kind, value.slaveKind);
      checkDataForm(set.specs.data.codec, value.data, `${path}.data`, value.kind);
      checkDataForm(set.specs.slaveData.codec, value.slaveData, `${path}.slaveData`, slaveKindOf(value.kind, value.slaveKind));
      set.encode(w, value as never, path);
    },
  };
}
