/**
 * struct ifinfomsg, the fixed header of every link message (<linux/rtnetlink.h>). Kept as plain
 * numbers, like the other rtnetlink headers; the typed `Link` gives names to flags and types.
 */
import { defineStruct, type StructFixedValue } from '../struct.js';

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

const FIELD_BYTES = { u8: 1, u16: 2, s32: 4, u32: 4 } as const;

/** Little-endian (host order) read of one field at `o + offset`, as JavaScript source. */
function readSource(kind: keyof typeof FIELD_BYTES, offset: number): string {
  const at = (i: number): string => `b[o + ${offset + i}]`;
  if (kind === 'u8') return at(0);
  if (kind === 'u16') return `(${at(0)} | (${at(1)} << 8))`;
  const word = `(${at(0)} | (${at(1)} << 8) | (${at(2)} << 16) | (${at(3)} << 24))`;
  return kind === 's32' ? `${word} | 0` : `${word} >>> 0`;
}

/**
 * A reader for ifinfomsg compiled from the same field table as the struct codec, as
 * binary-parser compiles the codec itself: link dumps read thousands of headers, and a
 * straight-line object literal costs a fraction of the general decoder (or of a loop over the
 * fields). Little-endian, host order; the caller checks there are ifinfomsg.size bytes.
 */
function compileReader(fields: typeof IFINFOMSG_FIELDS): (b: Uint8Array, o: number) => IfInfoMsg {
  const parts: string[] = [];
  let offset = 0;
  for (const [key, kind] of Object.entries(fields)) {
    if (typeof kind === 'object') {
      offset += kind.pad;
      continue;
    }
    parts.push(`${JSON.stringify(key)}: ${readSource(kind, offset)}`);
    offset += FIELD_BYTES[kind];
  }
  return new Function('b', 'o', `return { ${parts.join(', ')} };`) as (b: Uint8Array, o: number) => IfInfoMsg;
}

/** Read an ifinfomsg at `offset` (the caller checks there are ifinfomsg.size bytes). */
export const readIfInfoMsg = compileReader(IFINFOMSG_FIELDS);
