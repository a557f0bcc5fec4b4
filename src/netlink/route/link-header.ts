/**
 * struct ifinfomsg, the fixed header of every link message (<linux/rtnetlink.h>). Kept as plain
 * numbers, like the other rtnetlink headers; the typed `Link` gives names to flags and types.
 */
import { defineStruct, type StructFixedValue } from '../struct.js';
import { compileStruct } from '../struct-reader.js';

const IFINFOMSG_FIELDS = {
  /** ifi_family: AF_UNSPEC for links; AF_BRIDGE for bridge port messages. */
  family: 'u8',
  _pad: { pad: 1 },
  /** ifi_type: ARPHRD_* hardware type. */
  type: 'u16',
  /** ifi_index: interface index, 0 when the link is named by IFLA_IFNAME or is new. */
  index: 's32',
  /** ifi_flags: IFF_* bits. */
  flags: 'u32',
  /** ifi_change: which IFF_* bits a request changes. */
  change: 'u32',
} as const;

/** struct ifinfomsg (16 bytes). */
export const ifinfomsg = defineStruct('ifinfomsg', IFINFOMSG_FIELDS);
export type IfInfoMsg = StructFixedValue<typeof IFINFOMSG_FIELDS>;

/** An all-zero header (AF_UNSPEC, index 0), the start of most requests. */
export function emptyIfInfoMsg(overrides: Partial<IfInfoMsg> = {}): IfInfoMsg {
  return { family: 0, type: 0, index: 0, flags: 0, change: 0, ...overrides };
}

/**
 * Read an ifinfomsg at `o` (the caller checks there are ifinfomsg.size bytes): link dumps read
 * thousands of headers, so views read them with the struct's compiled reader directly.
 */
export const readIfInfoMsg = compileStruct({ t: 'struct', fields: IFINFOMSG_FIELDS, growable: false })!.read as (b: Uint8Array, o: number) => IfInfoMsg;
