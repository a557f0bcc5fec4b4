/**
 * RTA_VIA: a gateway of another address family than the route (an IPv6 next hop for an IPv4
 * route, or an MPLS route's next hop). struct rtvia { __kernel_sa_family_t family; u8 addr[]; }.
 */
import { formatIp, parseIp } from '../addresses.js';
import { DecodeError } from '../errors.js';
import type { FieldCodec } from '../field.js';
import { AddressFamily } from './constants.js';

/** The decoded gateway: an IP address as text for AF_INET/AF_INET6, else the address bytes. */
export interface RouteVia {
  family: number;
  address: string | Uint8Array;
}

/** sizeof(__kernel_sa_family_t) */
const FAMILY_SIZE = 2;
const IPV4_BYTES = 4;
const IPV6_BYTES = 16;

function ipLength(family: number): number | undefined {
  if (family === AddressFamily.AF_INET) return IPV4_BYTES;
  if (family === AddressFamily.AF_INET6) return IPV6_BYTES;
  return undefined;
}

export const routeVia: FieldCodec<RouteVia> = {
  kind: 'rtvia',
  encode(w, v, path) {
    w.u16(v.family);
    w.bytes(typeof v.address === 'string' ? parseIp(v.address, `${path}.address`, v.family === AddressFamily.AF_INET6 ? 6 : 4).bytes : v.address);
  },
  decode(b, at, path) {
    if (b.length < FAMILY_SIZE) throw new DecodeError(path, at, `want at least ${FAMILY_SIZE} bytes, got ${b.length}`);
    const family = new DataView(b.buffer, b.byteOffset, FAMILY_SIZE).getUint16(0, true);
    const address = b.subarray(FAMILY_SIZE);
    // Only a well-formed IP address becomes text; anything else stays bytes, so nothing is lost.
    return { family, address: ipLength(family) === address.length ? formatIp(address) : address.slice() };
  },
  validate(v) {
    if (v === null || typeof v !== 'object' || !Number.isInteger(v.family) || v.family < 0 || v.family > 0xffff) {
      return 'must be { family, address } with a 16-bit family';
    }
    if (typeof v.address === 'string') return ipLength(v.family) === undefined ? 'a text address needs family AF_INET or AF_INET6' : undefined;
    return v.address instanceof Uint8Array ? undefined : 'address must be an IP address string or bytes';
  },
};
