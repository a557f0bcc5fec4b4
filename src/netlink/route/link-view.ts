/**
 * The fast way from bytes to a typed Link, for dumps of thousands of links. One pass over the
 * top-level attributes fills the scalar fields (name, mtu, flags, master …) with readers
 * derived from the attribute set's own codecs. The heavy parts — 64-bit statistics, the
 * per-family settings (~100 values), kind data and the full decoded message — are decoded on
 * first access from a private copy of the message, then cached.
 *
 * Decoding everything at once costs several times more (mostly allocating the bigints and the
 * devconf records a listing rarely reads); `toJSON()` and `console.log` show everything.
 */
import { inspect } from 'node:util';
import { NLA_HDRLEN, NLA_TYPE_MASK } from '../constants.js';
import type { Connection, OutgoingMessage, RequestOptions } from '../connection.js';
import { dumpDecoded } from '../dump-decoded.js';
import { DecodeError } from '../errors.js';
import type { FieldCodec } from '../field.js';
import { cstring, linkAddress, numberToFlags, s32, u32, u8 } from '../fields.js';
import { decodeKernelText } from '../text.js';
import { align4 } from '../writer.js';
import type { Ipv4DevconfValues } from './af-spec-devconf.js';
import type { AfSpec, Inet6Info } from './af-spec.js';
import { AddressFamily, RtmType } from './constants.js';
import type { Link } from './link.js';
import { Iff, linkFlagBits, linkTypeName, type LinkFlagName, type LinkType, type OperState } from './link-constants.js';
import { familyFields, kindFields, SCALAR_FIELDS, type LinkFamilyFields, type LinkKindFields } from './link-fields.js';
import { ifinfomsg, readIfInfoMsg } from './link-header.js';
import type { BridgeData } from './link-info/bridge.js';
import type { BridgePortData } from './link-info/bridge-port.js';
import { peekLinkKinds, type LinkInfo } from './link-info/linkinfo.js';
import type { MacvlanData } from './link-info/macvlan.js';
import type { TunData } from './link-info/tun.js';
import type { VxlanData } from './link-info/vxlan.js';
import { decodeLinkMessage, linkAttributesFor, type LinkMessage } from './link-messages.js';
import type { LinkStats64 } from './link-stats.js';

type Reader = (b: Uint8Array, start: number, len: number, at: number, path: string) => unknown;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const ASCII_LIMIT = 0x80;

function readU32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/**
 * Fast readers for the plain codecs, same results as their decode(); anything unusual (a
 * wrong length, a non-ASCII name) goes through the codec itself, which also reports errors.
 */
function readerFor(codec: FieldCodec<unknown>): Reader {
  const slow: Reader = (b, o, l, at, path) => codec.decode(b.subarray(o, o + l), at, path);
  if (codec === (u32 as FieldCodec<unknown>)) return (b, o, l, at, path) => (l === 4 ? readU32(b, o) : slow(b, o, l, at, path));
  if (codec === (s32 as FieldCodec<unknown>)) return (b, o, l, at, path) => (l === 4 ? readU32(b, o) | 0 : slow(b, o, l, at, path));
  if (codec === (u8 as FieldCodec<unknown>)) return (b, o, l, at, path) => (l === 1 ? b[o] : slow(b, o, l, at, path));
  const shape = codec.shape;
  if (shape?.t === 'enum' && codec.kind === 'enum(u8)') {
    const names: unknown[] = [];
    for (const [name, value] of Object.entries(shape.values)) names[value] ??= name;
    return (b, o, l, at, path) => (l === 1 ? (names[b[o]!] ?? b[o]) : slow(b, o, l, at, path));
  }
  if (codec === (linkAddress as FieldCodec<unknown>)) {
    return (b, o, l) => {
      let s = '';
      for (let i = 0; i < l; i++) s += i === 0 ? HEX[b[o]!] : `:${HEX[b[o + i]!]}`;
      return s;
    };
  }
  if (codec === (cstring as FieldCodec<unknown>)) {
    return (b, o, l) => {
      let s = '';
      for (let i = o; i < o + l; i++) {
        const c = b[i]!;
        if (c === 0) return s;
        if (c >= ASCII_LIMIT) {
          const nul = b.subarray(o, o + l).indexOf(0);
          return decodeKernelText(b.subarray(o, nul >= 0 ? o + nul : o + l));
        }
        s += String.fromCharCode(c);
      }
      return s;
    };
  }
  return slow;
}

/** The reply attribute set of AF_UNSPEC links: where the field readers come from. */
const replySet = linkAttributesFor('reply', AddressFamily.AF_UNSPEC);
const typeOf = (key: string): number => (replySet.specs as Record<string, { type: number }>)[key]!.type;

interface ScalarReader {
  field: string;
  path: string;
  boolean: boolean;
  read: Reader;
}
/** Scalar readers by attribute type. */
const SCALARS: Array<ScalarReader | undefined> = [];
for (const f of SCALAR_FIELDS) {
  const codec = (replySet.specs as Record<string, { codec: FieldCodec<unknown> }>)[f.attribute]!.codec;
  SCALARS[typeOf(f.attribute)] = { field: f.field, path: f.attribute, boolean: f.boolean === true, read: readerFor(codec) };
}
/**
 * Stores a scalar attribute's value on a LinkView: generated once, one case per attribute type
 * with its reader and its field by name, so every store and call site sees one field and one
 * reader (one keyed store through a table of fields is megamorphic: the slowest part of a
 * 1,000-link listing). Returns false for a type that is not a scalar attribute.
 */
type ScalarStore = (self: object, type: number, b: Uint8Array, o: number, l: number, at: number) => boolean;
const storeScalar = ((): ScalarStore => {
  const constants: string[] = [];
  const cases: string[] = [];
  SCALARS.forEach((scalar, type) => {
    if (scalar === undefined) return;
    constants.push(`const r${type} = R[${type}].read;`);
    const value = `r${type}(b, o, l, at, ${JSON.stringify(scalar.path)})`;
    cases.push(`case ${type}: self[${JSON.stringify(scalar.field)}] = ${scalar.boolean ? `${value} !== 0` : value}; return true;`);
  });
  const source = `${constants.join('\n')}
    return function storeScalar(self, type, b, o, l, at) {
      switch (type) {
        ${cases.join('\n        ')}
        default: return false;
      }
    };`;
  return new Function('R', source)(SCALARS) as ScalarStore;
})();

const STATS64 = typeOf('stats64');
const AF_SPEC = typeOf('afSpec');
const LINKINFO = typeOf('linkinfo');
const PROP_LIST = typeOf('propList');
/** Flag names with their bits, computed once (numberToFlags walks the table each call). */
const FLAG_BITS = Object.entries(linkFlagBits) as Array<[LinkFlagName, number]>;
const ALL_KNOWN_FLAGS = FLAG_BITS.reduce((n, [, bit]) => n | bit, 0);

function flagNames(flags: number): Array<LinkFlagName | number> {
  if ((flags & ~ALL_KNOWN_FLAGS) !== 0) return numberToFlags(flags, linkFlagBits);
  const out: LinkFlagName[] = [];
  for (const [name, bit] of FLAG_BITS) if (flags & bit) out.push(name);
  return out;
}

const ABSENT = -1;

export class LinkView implements Link {
  index: number;
  name = '';
  type: LinkType | number;
  flags: Array<LinkFlagName | number>;
  up: boolean;
  lowerUp: boolean;
  txqlen?: number = undefined;
  operstate?: OperState | number = undefined;
  mtu?: number = undefined;
  minMtu?: number = undefined;
  maxMtu?: number = undefined;
  group?: number = undefined;
  promiscuity?: number = undefined;
  allmulti?: number = undefined;
  numTxQueues?: number = undefined;
  numRxQueues?: number = undefined;
  carrier?: boolean = undefined;
  carrierChanges?: number = undefined;
  protoDown?: boolean = undefined;
  address?: string = undefined;
  broadcast?: string = undefined;
  permAddress?: string = undefined;
  master?: number = undefined;
  link?: number = undefined;
  linkNetnsId?: number = undefined;
  alias?: string = undefined;
  qdisc?: string = undefined;
  parentDevName?: string = undefined;
  parentDevBusName?: string = undefined;
  kind?: string = undefined;
  slaveKind?: string = undefined;

  /** A private copy of the message body; offsets below point into it. */
  readonly #bytes: Uint8Array;
  readonly #at: number;
  readonly #family: number;
  /** Where the lazily decoded attributes' payloads are in #bytes (start, length), ABSENT if not sent. */
  #statsAt = ABSENT;
  #statsLen = 0;
  #afSpecAt = ABSENT;
  #afSpecLen = 0;
  #linkinfoAt = ABSENT;
  #linkinfoLen = 0;
  #propListAt = ABSENT;
  #propListLen = 0;
  #kindFields: LinkKindFields | undefined;
  #familyFields: LinkFamilyFields | undefined;
  #stats: LinkStats64 | null | undefined;
  #altnames: string[] | null | undefined;
  #message: LinkMessage | undefined;

  constructor(bytes: Uint8Array, at: number) {
    this.#bytes = bytes;
    this.#at = at;
    const h = readIfInfoMsg(bytes, 0);
    this.#family = h.family;
    this.index = h.index;
    this.type = linkTypeName.get(h.type) ?? h.type;
    this.flags = flagNames(h.flags);
    this.up = (h.flags & Iff.IFF_UP) !== 0;
    this.lowerUp = (h.flags & Iff.IFF_LOWER_UP) !== 0;
    this.#scan(align4(ifinfomsg.size));
  }

  /** One pass over the top-level attributes. Framing errors are DecodeErrors, as in the generic decoder. */
  #scan(start: number): void {
    const b = this.#bytes;
    // Scalar attribute types seen so far, as bits (types are < 96): a repeat is an error.
    const seen = [0, 0, 0];
    for (let pos = start; pos < b.length; ) {
      const at = this.#at + pos;
      if (b.length - pos < NLA_HDRLEN) throw new DecodeError('', at, `${b.length - pos} trailing bytes, too short for an attribute header`);
      const len = b[pos]! | (b[pos + 1]! << 8);
      const type = (b[pos + 2]! | (b[pos + 3]! << 8)) & NLA_TYPE_MASK;
      if (len < NLA_HDRLEN) throw new DecodeError('', at, `attribute length ${len} is shorter than its header`);
      if (pos + len > b.length) throw new DecodeError('', at, `attribute type ${type} claims ${len} bytes, ${b.length - pos} left`);
      const scalar = SCALARS[type];
      if (scalar !== undefined) {
        const bit = 1 << (type & 31);
        if (seen[type >> 5]! & bit) throw new DecodeError(scalar.path, at, 'attribute appears twice');
        seen[type >> 5]! |= bit;
        storeScalar(this, type, b, pos + NLA_HDRLEN, len - NLA_HDRLEN, at + NLA_HDRLEN);
      } else if (type === STATS64) {
        this.#statsAt = this.#once(this.#statsAt, pos, 'stats64');
        this.#statsLen = len - NLA_HDRLEN;
      } else if (type === AF_SPEC) {
        this.#afSpecAt = this.#once(this.#afSpecAt, pos, 'afSpec');
        this.#afSpecLen = len - NLA_HDRLEN;
      } else if (type === PROP_LIST) {
        this.#propListAt = this.#once(this.#propListAt, pos, 'propList');
        this.#propListLen = len - NLA_HDRLEN;
      } else if (type === LINKINFO) {
        this.#linkinfoAt = this.#once(this.#linkinfoAt, pos, 'linkinfo');
        this.#linkinfoLen = len - NLA_HDRLEN;
        const kinds = peekLinkKinds(b.subarray(pos + NLA_HDRLEN, pos + len));
        if (kinds.kind !== undefined) this.kind = kinds.kind;
        if (kinds.slaveKind !== undefined) this.slaveKind = kinds.slaveKind;
      }
      pos += align4(len);
    }
  }

  /** The payload offset of an attribute seen for the first time; a second one is an error. */
  #once(seen: number, pos: number, key: string): number {
    if (seen !== ABSENT) throw new DecodeError(key, this.#at + pos, 'attribute appears twice');
    return pos + NLA_HDRLEN;
  }

  #decodeLazy<T>(start: number, length: number, key: string): T | undefined {
    if (start === ABSENT) return undefined;
    const set = linkAttributesFor('reply', this.#family);
    const codec = (set.specs as Record<string, { codec: FieldCodec<T> }>)[key]!.codec;
    return codec.decode(this.#bytes.subarray(start, start + length), this.#at + start, key);
  }

  get stats(): LinkStats64 | undefined {
    if (this.#stats === undefined) this.#stats = this.#decodeLazy<LinkStats64>(this.#statsAt, this.#statsLen, 'stats64') ?? null;
    return this.#stats ?? undefined;
  }

  get altnames(): string[] | undefined {
    if (this.#altnames === undefined) this.#altnames = this.#decodeLazy<{ altIfname?: string[] }>(this.#propListAt, this.#propListLen, 'propList')?.altIfname ?? null;
    return this.#altnames ?? undefined;
  }

  #kinds(): LinkKindFields {
    return (this.#kindFields ??= kindFields(this.#decodeLazy<LinkInfo>(this.#linkinfoAt, this.#linkinfoLen, 'linkinfo')));
  }

  #families(): LinkFamilyFields {
    return (this.#familyFields ??= this.#family === AddressFamily.AF_BRIDGE ? {} : familyFields(this.#decodeLazy<AfSpec>(this.#afSpecAt, this.#afSpecLen, 'afSpec')));
  }

  get bridge(): BridgeData | undefined { return this.#kinds().bridge; }
  get macvlan(): MacvlanData | undefined { return this.#kinds().macvlan; }
  get vxlan(): VxlanData | undefined { return this.#kinds().vxlan; }
  get tun(): TunData | undefined { return this.#kinds().tun; }
  get kindData(): Uint8Array | undefined { return this.#kinds().kindData; }
  get bridgePort(): BridgePortData | undefined { return this.#kinds().bridgePort; }
  get ipv4(): Ipv4DevconfValues | undefined { return this.#families().ipv4; }
  get ipv6(): Inet6Info | undefined { return this.#families().ipv6; }

  /** The whole message, decoded by the generic codec (unknown attributes included). */
  get message(): LinkMessage {
    return (this.#message ??= decodeLinkMessage(this.#bytes, 0, this.#at));
  }

  /** Every field, the lazy ones decoded: what JSON.stringify and console.log show. */
  toJSON(): Omit<Link, 'message'> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this)) if (value !== undefined) out[key] = value;
    const lazy: Record<string, unknown> = {
      stats: this.stats, altnames: this.altnames, ...this.#kinds(), ...this.#families(),
    };
    for (const [key, value] of Object.entries(lazy)) if (value !== undefined) out[key] = value;
    return out as unknown as Omit<Link, 'message'>;
  }

  [inspect.custom](): unknown {
    return this.toJSON();
  }
}

/**
 * Decode a kernel reply's link message body fast (see the file comment). `at` is the body's
 * offset in its datagram, for errors.
 */
export function decodeLinkView(payload: Uint8Array, at: number, options: { owned?: boolean } = {}): Link {
  if (payload.length < ifinfomsg.size) {
    throw new DecodeError('ifinfomsg', at, `link message of ${payload.length} bytes is shorter than struct ifinfomsg (${ifinfomsg.size})`);
  }
  return new LinkView(options.owned ? payload : payload.slice(), at);
}

/**
 * The links of a dump, each a view of its reply where it arrived, in the datagram the
 * transport handed over and never writes again (dumpDecoded), instead of a copy — a
 * 1,000-link listing would copy 1.5 MB — and without a message object per reply.
 */
export function dumpLinkViews(conn: Connection, request: OutgoingMessage, options: RequestOptions = {}): Promise<Link[]> {
  return dumpDecoded(conn, request, options, RtmType.RTM_NEWLINK, (bytes, start, end) => decodeLinkView(bytes.subarray(start, end), start, { owned: true }));
}
