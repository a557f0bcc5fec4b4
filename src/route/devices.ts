/**
 * Resolving the `dev` of a request (an interface name or index) to an ifindex, as `ip` does:
 * an ioctl (SIOCGIFINDEX) on the connection's socket, else one RTM_GETLINK naming the link by
 * IFLA_IFNAME, answered with its ifinfomsg. Names are checked first (the same rules as the
 * links module), so a bad name is a ValidationError, not an ENODEV from the kernel.
 */
import { defineAttributeSet } from '../netlink/attribute-set.js';
import type { Connection, RequestOptions } from '../netlink/connection.js';
import { ValidationError } from '../netlink/errors.js';
import { cstring, u32 } from '../netlink/fields.js';
import { NLMSG_HDRLEN } from '../netlink/constants.js';
import { RtmType } from '../netlink/route/constants.js';
import { Ifla, RtextFilter } from '../netlink/route/link-constants.js';
import { emptyIfInfoMsg, ifinfomsg } from '../netlink/route/link-header.js';
import { defineRouteMessage } from '../netlink/route/route-message-codec.js';
import { validateLinkName } from './link-validate.js';
import { checkInteger, outgoing } from './shared.js';

/** An interface given by name (`veth-red`) or index (`3`). */
export type DeviceRef = string | number;

/** The two attributes a by-name lookup needs; everything else in the reply is ignored. */
const linkLookup = defineRouteMessage(
  ifinfomsg,
  defineAttributeSet('link', {
    ifname: { type: Ifla.IFLA_IFNAME, codec: cstring },
    extMask: { type: Ifla.IFLA_EXT_MASK, codec: u32 },
  }),
);

const IFINDEX_MAX = 2 ** 31 - 1;

/** Throws ValidationError (naming `field`) unless `name` is a valid interface name (the links module's rules). */
export function validateDeviceName(name: unknown, field = 'dev'): string {
  validateLinkName(name, field);
  return name;
}

/** Check a device reference without touching the kernel (so bad input fails before sending). */
export function checkDeviceRef(dev: unknown, field = 'dev'): DeviceRef {
  if (typeof dev === 'number') return checkInteger(dev, field, 1, IFINDEX_MAX);
  return validateDeviceName(dev, field);
}

/**
 * resolveIfindex's answer when it takes no request: the index given, or the one the ioctl
 * finds; 0 otherwise (or ValidationError for a bad reference). A client that gets it here
 * sends its request in the same run of JavaScript as the call that made it, without an await
 * in between, so requests started together leave in one datagram (outbox.ts).
 */
export function ifindexAtOnce(conn: Connection, dev: DeviceRef, field = 'dev', options: RequestOptions = {}): number {
  const checked = checkDeviceRef(dev, field);
  if (typeof checked === 'number') return checked;
  return conn.isClosed || options.signal?.aborted ? 0 : (conn.transport.interfaceIndex?.(checked) ?? 0);
}

/**
 * The ifindex of `dev`: an index is returned as is, a name is looked up in the kernel — first
 * as if_nametoindex (and so `ip`) does, by an ioctl on the connection's own socket: one
 * syscall, where RTM_GETLINK is a round trip in which the kernel builds the link's whole
 * message (every veth given a bridge master by name costs one). Altnames resolve there too.
 * A name that answers nothing is asked over netlink, which fails as every other request does
 * (ENODEV), as does a closed connection.
 */
export async function resolveIfindex(conn: Connection, dev: DeviceRef, field = 'dev', options: RequestOptions = {}): Promise<number> {
  return ifindexAtOnce(conn, dev, field, options) || lookupIfindex(conn, dev, field, options);
}

/**
 * resolveIfindex's round trip, for a `dev` ifindexAtOnce did not find (so a name): callers that
 * asked ifindexAtOnce first go on here, without a second ioctl.
 */
export async function lookupIfindex(conn: Connection, dev: DeviceRef, field = 'dev', options: RequestOptions = {}): Promise<number> {
  const checked = dev as string; // (ifindexAtOnce returns an index given as is)
  const request = outgoing(linkLookup, RtmType.RTM_GETLINK, 'RTM_GETLINK', 0, {
    header: emptyIfInfoMsg(),
    attributes: { ifname: checked, extMask: RtextFilter.RTEXT_FILTER_SKIP_STATS },
  });
  const replies = await conn.request(request, options);
  const reply = replies.find((m) => m.type === RtmType.RTM_NEWLINK);
  if (!reply) throw new ValidationError(field, `no link named "${checked}" was returned`, dev);
  return ifinfomsg.decodeAt(reply.payload, reply.offset + NLMSG_HDRLEN, 'ifinfomsg').index;
}
