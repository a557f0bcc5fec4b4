/**
 * Strict address parsing and canonical formatting. Parsing is strict on purpose: `1.2.3`,
 * `01.2.3.4` (octal to inet_aton!) and `1.2.3.4/33` are refused rather than guessed at.
 */
import { pooledBytes } from './byte-pool.js';
import { ValidationError } from './errors.js';

export type IpFamily = 4 | 6;

export interface ParsedIp {
  family: IpFamily;
  bytes: Uint8Array;
}

const DOT = 46;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * Four decimal octets, dot-separated, nothing else; no leading zeros (`01` is octal to
 * inet_aton) and none above 255. Read by character codes: this runs once per address of every
 * rule or route built in code, and split() plus a regular expression per octet cost several
 * times more.
 */
function parseIpv4(text: string): Uint8Array | undefined {
  const end = text.length;
  if (end < 7 || end > 15) return undefined;
  const out = pooledBytes(4);
  let octet = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= DIGIT_0 && c <= DIGIT_9) {
      if (digits === 1 && value === 0) return undefined; // a leading zero
      value = value * 10 + (c - DIGIT_0);
      if (value > 255) return undefined;
      digits++;
    } else if (c === DOT && digits > 0 && octet < 3) {
      out[octet++] = value;
      value = 0;
      digits = 0;
    } else {
      return undefined;
    }
  }
  if (octet !== 3 || digits === 0) return undefined;
  out[3] = value;
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const items = s.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i]!;
      if (g.includes('.')) {
        if (i !== items.length - 1) return undefined;
        const v4 = parseIpv4(g);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  // An IPv4 tail is only valid at the very end of the address.
  if (halves.length === 2 && halves[0]!.includes('.')) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** Parse an IPv4 or IPv6 address; throws ValidationError naming `field`. */
export function parseIp(text: string, field = 'address', family?: IpFamily): ParsedIp {
  if (typeof text !== 'string') throw new ValidationError(field, 'must be an IP address string', text);
  const v4 = family !== 6 ? parseIpv4(text) : undefined;
  if (v4) return { family: 4, bytes: v4 };
  const v6 = family !== 4 && text.includes(':') ? parseIpv6(text) : undefined;
  if (v6) return { family: 6, bytes: v6 };
  const what = family === 4 ? 'an IPv4 address' : family === 6 ? 'an IPv6 address' : 'an IPv4 or IPv6 address';
  throw new ValidationError(field, `'${text}' is not ${what}`, text);
}

export function ipFamilyOf(text: string): IpFamily | undefined {
  if (parseIpv4(text)) return 4;
  if (text.includes(':') && parseIpv6(text)) return 6;
  return undefined;
}

const OCTETS = Array.from({ length: 256 }, (_, i) => String(i));
/**
 * "0." … "255.": a prefix is three of them joined. Every concatenation of strings this short
 * copies both into a new one, so two instead of five made formatting 11,000 distinct /24
 * networks 1.3–1.9x faster (micro-benchmark).
 */
const OCTETS_DOT = OCTETS.map((octet) => `${octet}.`);
/**
 * Recently written "a.b.c." prefixes, direct-mapped by their three bytes: the addresses of a
 * dump mostly share their /24 (a table's hosts, a subnet's neighbours), and one concatenation
 * instead of seven made scanning 11,003 routes a quarter faster (in-process A/B). A miss costs
 * what no cache would.
 */
const PREFIX_SLOTS = 1024;
const prefixKeys = new Int32Array(PREFIX_SLOTS).fill(-1);
const prefixTexts = new Array<string>(PREFIX_SLOTS).fill('');

/** The dotted quad of the four bytes at `at`. */
export function formatIpv4At(b: Uint8Array, at: number): string {
  const key = (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;
  const slot = (key ^ (key >>> 10)) & (PREFIX_SLOTS - 1);
  let prefix: string;
  if (prefixKeys[slot] === key) prefix = prefixTexts[slot]!;
  else {
    prefix = OCTETS_DOT[b[at]!]! + OCTETS_DOT[b[at + 1]!]! + OCTETS_DOT[b[at + 2]!]!;
    prefixKeys[slot] = key;
    prefixTexts[slot] = prefix;
  }
  return prefix + OCTETS[b[at + 3]!];
}

/** Canonical text: dotted quad, or RFC 5952 IPv6 (as inet_ntop prints it). */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return formatIpv4At(bytes, 0);
  // Written with plain loops and concatenation (no arrays or slices): dumps format one or two
  // IPv6 addresses per link, route and neighbour.
  const g = groups;
  for (let i = 0; i < 8; i++) g[i] = (bytes[2 * i]! << 8) | bytes[2 * i + 1]!;
  // IPv4-mapped addresses keep the dotted tail, as glibc does.
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  }
  // The longest run of two or more zero groups (the first of equal runs) becomes "::".
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += '::';
      i += bestLen - 1;
      continue;
    }
    if (text !== '' && !text.endsWith(':')) text += ':';
    text += g[i]!.toString(16);
  }
  return text;
}
const groups = new Array<number>(8).fill(0);

export interface ParsedPrefix {
  family: IpFamily;
  address: string;
  bytes: Uint8Array;
  prefixLength: number;
}

/**
 * Parse `ADDR[/LEN]`. Without a length the prefix is a host (/32 or /128), as `ip` does.
 */
export function parsePrefix(text: string, field = 'prefix', family?: IpFamily): ParsedPrefix {
  if (typeof text !== 'string') throw new ValidationError(field, 'must be a string like 10.0.0.1/24', text);
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIp(addrText, field, family);
  const max = ip.family === 4 ? 32 : 128;
  let prefixLength = max;
  if (slash >= 0) {
    const lenText = text.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(lenText) || Number(lenText) > max) {
      throw new ValidationError(field, `prefix length '${lenText}' must be 0 to ${max} for IPv${ip.family}`, text);
    }
    prefixLength = Number(lenText);
  }
  return { family: ip.family, address: formatIp(ip.bytes), bytes: ip.bytes, prefixLength };
}

/** The network part of an address: host bits cleared. */
export function networkOf(bytes: Uint8Array, prefixLength: number): Uint8Array {
  const out = bytes.slice();
  for (let bit = prefixLength; bit < out.length * 8; bit++) out[bit >> 3]! &= ~(0x80 >> (bit & 7));
  return out;
}

/** True when `addr` lies inside `net/prefixLength` (same family required). */
export function prefixContains(net: Uint8Array, prefixLength: number, addr: Uint8Array): boolean {
  if (net.length !== addr.length) return false;
  const a = networkOf(net, prefixLength);
  const b = networkOf(addr, prefixLength);
  return a.every((x, i) => x === b[i]);
}

/** `aa:bb:cc:dd:ee:ff` (any number of bytes) → bytes. */
export function parseLinkAddress(text: string, field = 'address'): Uint8Array {
  if (typeof text !== 'string' || !/^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2})*$/.test(text)) {
    throw new ValidationError(field, `'${String(text)}' is not a link-layer address like 02:00:00:00:00:01`, text);
  }
  return Uint8Array.from(text.split(':').map((h) => parseInt(h, 16)));
}

/** Two lowercase hex digits per byte value. */
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** `aa:bb:cc:dd:ee:ff` for bytes [start, end) of `bytes` (all of them by default). */
export function formatLinkAddress(bytes: Uint8Array, start = 0, end = bytes.length): string {
  // Built by concatenation from a table: a dump formats two addresses per link, and
  // Array.from + toString + join cost ten times more.
  let text = '';
  for (let i = start; i < end; i++) text += i === start ? HEX_BYTE[bytes[i]!]! : `:${HEX_BYTE[bytes[i]!]!}`;
  return text;
}
