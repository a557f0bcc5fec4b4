/**
 * Per-device IPv4 and IPv6 settings as the kernel reports them inside IFLA_AF_SPEC: the
 * `net.ipv4.conf.DEV.*` and `net.ipv6.conf.DEV.*` sysctls, indexed by IPV4_DEVCONF_* and
 * DEVCONF_* (<linux/ip.h>, <linux/ipv6.h>).
 *
 * Kernel quirk (net/ipv4/devinet.c, net/ipv6/addrconf.c): in a *reply* IFLA_INET_CONF and
 * IFLA_INET6_CONF are flat arrays of 32-bit values (IPv4 without index 0, IPv6 from index 0),
 * while in a *request* IFLA_INET_CONF is a nest whose attribute types are the indices. Both
 * decode to the same record of named values.
 */
import { defineAttributeSet } from '../attribute-set.js';
import { DecodeError, ValidationError } from '../errors.js';
import type { FieldCodec } from '../field.js';
import { u32 } from '../fields.js';
import type { RawAttribute } from '../raw-attributes.js';

/** IPV4_DEVCONF_* (<linux/ip.h>): index 1 is the array's first element. */
export const Ipv4Devconf = {
  IPV4_DEVCONF_FORWARDING: 1,
  IPV4_DEVCONF_MC_FORWARDING: 2,
  IPV4_DEVCONF_PROXY_ARP: 3,
  IPV4_DEVCONF_ACCEPT_REDIRECTS: 4,
  IPV4_DEVCONF_SECURE_REDIRECTS: 5,
  IPV4_DEVCONF_SEND_REDIRECTS: 6,
  IPV4_DEVCONF_SHARED_MEDIA: 7,
  IPV4_DEVCONF_RP_FILTER: 8,
  IPV4_DEVCONF_ACCEPT_SOURCE_ROUTE: 9,
  IPV4_DEVCONF_BOOTP_RELAY: 10,
  IPV4_DEVCONF_LOG_MARTIANS: 11,
  IPV4_DEVCONF_TAG: 12,
  IPV4_DEVCONF_ARPFILTER: 13,
  IPV4_DEVCONF_MEDIUM_ID: 14,
  IPV4_DEVCONF_NOXFRM: 15,
  IPV4_DEVCONF_NOPOLICY: 16,
  IPV4_DEVCONF_FORCE_IGMP_VERSION: 17,
  IPV4_DEVCONF_ARP_ANNOUNCE: 18,
  IPV4_DEVCONF_ARP_IGNORE: 19,
  IPV4_DEVCONF_PROMOTE_SECONDARIES: 20,
  IPV4_DEVCONF_ARP_ACCEPT: 21,
  IPV4_DEVCONF_ARP_NOTIFY: 22,
  IPV4_DEVCONF_ACCEPT_LOCAL: 23,
  IPV4_DEVCONF_SRC_VMARK: 24,
  IPV4_DEVCONF_PROXY_ARP_PVLAN: 25,
  IPV4_DEVCONF_ROUTE_LOCALNET: 26,
  IPV4_DEVCONF_IGMPV2_UNSOLICITED_REPORT_INTERVAL: 27,
  IPV4_DEVCONF_IGMPV3_UNSOLICITED_REPORT_INTERVAL: 28,
  IPV4_DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN: 29,
  IPV4_DEVCONF_DROP_UNICAST_IN_L2_MULTICAST: 30,
  IPV4_DEVCONF_DROP_GRATUITOUS_ARP: 31,
  IPV4_DEVCONF_BC_FORWARDING: 32,
  IPV4_DEVCONF_ARP_EVICT_NOCARRIER: 33,
} as const;

/** DEVCONF_* (<linux/ipv6.h>): index 0 is the array's first element. */
export const Ipv6Devconf = {
  DEVCONF_FORWARDING: 0,
  DEVCONF_HOPLIMIT: 1,
  DEVCONF_MTU6: 2,
  DEVCONF_ACCEPT_RA: 3,
  DEVCONF_ACCEPT_REDIRECTS: 4,
  DEVCONF_AUTOCONF: 5,
  DEVCONF_DAD_TRANSMITS: 6,
  DEVCONF_RTR_SOLICITS: 7,
  DEVCONF_RTR_SOLICIT_INTERVAL: 8,
  DEVCONF_RTR_SOLICIT_DELAY: 9,
  DEVCONF_USE_TEMPADDR: 10,
  DEVCONF_TEMP_VALID_LFT: 11,
  DEVCONF_TEMP_PREFERED_LFT: 12,
  DEVCONF_REGEN_MAX_RETRY: 13,
  DEVCONF_MAX_DESYNC_FACTOR: 14,
  DEVCONF_MAX_ADDRESSES: 15,
  DEVCONF_FORCE_MLD_VERSION: 16,
  DEVCONF_ACCEPT_RA_DEFRTR: 17,
  DEVCONF_ACCEPT_RA_PINFO: 18,
  DEVCONF_ACCEPT_RA_RTR_PREF: 19,
  DEVCONF_RTR_PROBE_INTERVAL: 20,
  DEVCONF_ACCEPT_RA_RT_INFO_MAX_PLEN: 21,
  DEVCONF_PROXY_NDP: 22,
  DEVCONF_OPTIMISTIC_DAD: 23,
  DEVCONF_ACCEPT_SOURCE_ROUTE: 24,
  DEVCONF_MC_FORWARDING: 25,
  DEVCONF_DISABLE_IPV6: 26,
  DEVCONF_ACCEPT_DAD: 27,
  DEVCONF_FORCE_TLLAO: 28,
  DEVCONF_NDISC_NOTIFY: 29,
  DEVCONF_MLDV1_UNSOLICITED_REPORT_INTERVAL: 30,
  DEVCONF_MLDV2_UNSOLICITED_REPORT_INTERVAL: 31,
  DEVCONF_SUPPRESS_FRAG_NDISC: 32,
  DEVCONF_ACCEPT_RA_FROM_LOCAL: 33,
  DEVCONF_USE_OPTIMISTIC: 34,
  DEVCONF_ACCEPT_RA_MTU: 35,
  DEVCONF_STABLE_SECRET: 36,
  DEVCONF_USE_OIF_ADDRS_ONLY: 37,
  DEVCONF_ACCEPT_RA_MIN_HOP_LIMIT: 38,
  DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN: 39,
  DEVCONF_DROP_UNICAST_IN_L2_MULTICAST: 40,
  DEVCONF_DROP_UNSOLICITED_NA: 41,
  DEVCONF_KEEP_ADDR_ON_DOWN: 42,
  DEVCONF_RTR_SOLICIT_MAX_INTERVAL: 43,
  DEVCONF_SEG6_ENABLED: 44,
  DEVCONF_SEG6_REQUIRE_HMAC: 45,
  DEVCONF_ENHANCED_DAD: 46,
  DEVCONF_ADDR_GEN_MODE: 47,
  DEVCONF_DISABLE_POLICY: 48,
  DEVCONF_ACCEPT_RA_RT_INFO_MIN_PLEN: 49,
  DEVCONF_NDISC_TCLASS: 50,
  DEVCONF_RPL_SEG_ENABLED: 51,
  DEVCONF_RA_DEFRTR_METRIC: 52,
  DEVCONF_IOAM6_ENABLED: 53,
  DEVCONF_IOAM6_ID: 54,
  DEVCONF_IOAM6_ID_WIDE: 55,
  DEVCONF_NDISC_EVICT_NOCARRIER: 56,
  DEVCONF_ACCEPT_UNTRACKED_NA: 57,
  DEVCONF_ACCEPT_RA_MIN_LFT: 58,
  DEVCONF_FORCE_FORWARDING: 59,
} as const;

type Short<K, P extends string> = K extends `${P}${infer R}` ? Lowercase<R> : never;

/** `IPV4_DEVCONF_RP_FILTER` → `rp_filter`: the kernel name, lowercased, without its prefix. */
function shortNames<T extends Record<string, number>, P extends string>(table: T, prefix: P) {
  const out: Record<string, number> = {};
  for (const [name, index] of Object.entries(table)) out[name.slice(prefix.length).toLowerCase()] = index;
  return out as { [K in keyof T as Short<K, P>]: T[K] };
}

export const ipv4DevconfIndex = shortNames(Ipv4Devconf, 'IPV4_DEVCONF_');
export type Ipv4DevconfName = keyof typeof ipv4DevconfIndex;
export const ipv6DevconfIndex = shortNames(Ipv6Devconf, 'DEVCONF_');
export type Ipv6DevconfName = keyof typeof ipv6DevconfIndex;

/**
 * Named devconf values. Values a newer kernel reports beyond the last known index are kept,
 * in order, in `more` (reply form); unknown indices of the request form stay in `unknown`.
 */
export type DevconfValues<N extends string> = { [K in N]?: number } & { more?: number[]; unknown?: RawAttribute[] };
export type Ipv4DevconfValues = DevconfValues<Ipv4DevconfName>;
export type Ipv6DevconfValues = DevconfValues<Ipv6DevconfName>;

const WORD = 4;

/**
 * The reply form: a flat array of 32-bit values. `firstIndex` is the index of element 0;
 * missing values below the last present one are written as 0.
 */
function devconfArray<N extends string>(name: string, indexOf: Record<N, number>, firstIndex: number, signed: boolean): FieldCodec<DevconfValues<N>> {
  // Element position → name; the tables are contiguous from firstIndex.
  const names: N[] = [];
  for (const [key, index] of Object.entries(indexOf) as [N, number][]) names[index - firstIndex] = key;
  const min = signed ? -(2 ** 31) : 0;
  const max = signed ? 2 ** 31 - 1 : 2 ** 32 - 1;
  const fieldKind = signed ? 's32' : 'u32';
  return {
    kind: `devconf(${name})`,
    decode(bytes, at, path) {
      if (bytes.length % WORD !== 0) throw new DecodeError(path, at, `${name}: ${bytes.length} bytes is not a whole number of 32-bit values`);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const count = bytes.length / WORD;
      const known = Math.min(count, names.length);
      const out: Record<string, unknown> = {};
      for (let i = 0; i < known; i++) out[names[i]!] = signed ? view.getInt32(i * WORD, true) : view.getUint32(i * WORD, true);
      if (count > names.length) {
        const more: number[] = [];
        for (let i = names.length; i < count; i++) more.push(signed ? view.getInt32(i * WORD, true) : view.getUint32(i * WORD, true));
        out.more = more;
      }
      return out as DevconfValues<N>;
    },
    encode(w, value, path) {
      const v = value as Record<string, number | undefined>;
      const more = value.more ?? [];
      let last = -1;
      for (let i = 0; i < names.length; i++) if (v[names[i]!] !== undefined) last = i;
      if (more.length > 0) last = names.length - 1;
      for (let i = 0; i <= last; i++) {
        const n = v[names[i]!] ?? 0;
        if (signed) w.s32(n);
        else w.u32(n);
      }
      for (const n of more) signed ? w.s32(n) : w.u32(n);
      void path;
    },
    validate(value) {
      if (value === null || typeof value !== 'object') return 'must be an object of named values';
      for (const [key, n] of Object.entries(value)) {
        if (key === 'unknown') return 'unknown attributes exist only in the request form';
        const list = key === 'more' ? (n as number[]) : [n as unknown as number];
        if (key !== 'more' && !Object.hasOwn(indexOf, key)) return `${key} is not a ${name} setting`;
        for (const x of list) if (!Number.isInteger(x) || x < min || x > max) return `${key} must be an integer from ${min} to ${max}`;
      }
      return undefined;
    },
    shape: { t: 'struct', fields: Object.fromEntries(names.map((n) => [n, fieldKind])), growable: false },
  };
}

/** IFLA_INET_CONF in replies: u32 values for IPV4_DEVCONF_FORWARDING … (index 1 first). */
export const ipv4DevconfArray = devconfArray('ipv4 devconf', ipv4DevconfIndex, Ipv4Devconf.IPV4_DEVCONF_FORWARDING, false);

/** IFLA_INET6_CONF: s32 values for DEVCONF_FORWARDING … (index 0 first). */
export const ipv6DevconfArray = devconfArray('ipv6 devconf', ipv6DevconfIndex, Ipv6Devconf.DEVCONF_FORWARDING, true);

/** IFLA_INET_CONF in requests: a nest of u32 attributes whose types are IPV4_DEVCONF_* indices. */
export const ipv4DevconfRequest = defineAttributeSet(
  'inet.conf',
  Object.fromEntries(Object.entries(ipv4DevconfIndex).map(([key, type]) => [key, { type, codec: u32 }])) as {
    [K in Ipv4DevconfName]: { type: number; codec: FieldCodec<number> };
  },
  { nested: false },
) as unknown as FieldCodec<Ipv4DevconfValues>;

/** Check a request's devconf values before they are sent. */
export function validateIpv4Devconf(values: Record<string, unknown>, field: string): void {
  for (const [key, n] of Object.entries(values)) {
    if (n === undefined) continue;
    if (!Object.hasOwn(ipv4DevconfIndex, key)) throw new ValidationError(`${field}.${key}`, `is not an IPv4 device setting (known: ${Object.keys(ipv4DevconfIndex).join(', ')})`, n);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1) throw new ValidationError(`${field}.${key}`, 'must be an integer from 0 to 4294967295', n);
  }
}
