/**
 * NETLINK_ROUTE for the registry: every RTM_* message type this library knows, so fixtures,
 * `netns-ts decode` and traces show typed rtnetlink messages. An explicit table built from
 * each family's codec map; types not listed decode raw and still encode back byte for byte.
 */
import { NetlinkProtocol } from '../constants.js';
import type { MessageCodec, ProtocolCodec } from '../registry.js';
import { addressMessageCodecs } from './address.js';
import { linkMessageCodecs } from './link-messages.js';
import { neighbourMessageCodecs } from './neighbour.js';
import { netconfMessageCodecs } from './netconf.js';
import { nsidMessageCodecs } from './nsid.js';
import { routeMessageCodecs } from './route.js';

const families: ReadonlyArray<ReadonlyMap<number, MessageCodec>> = [
  linkMessageCodecs,
  addressMessageCodecs,
  routeMessageCodecs,
  neighbourMessageCodecs,
  nsidMessageCodecs,
  netconfMessageCodecs,
];

function mergeFamilies(): Map<number, MessageCodec> {
  const all = new Map<number, MessageCodec>();
  for (const family of families) {
    for (const [type, codec] of family) {
      if (all.has(type)) throw new Error(`rtnetlink message type ${type} has two codecs (${all.get(type)!.name}, ${codec.name})`);
      all.set(type, codec);
    }
  }
  return all;
}

const routeCodecs = mergeFamilies();

/** The rtnetlink protocol codec: register it with `registerProtocol(routeProtocol)`. */
export const routeProtocol: ProtocolCodec = {
  name: 'route',
  protocol: NetlinkProtocol.NETLINK_ROUTE,
  messageCodec: (type) => routeCodecs.get(type),
};
