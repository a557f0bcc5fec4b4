/**
 * The protocol codecs netns-ts knows, registered for decoding (fixtures, `netns-ts decode`,
 * traces): rtnetlink, and netfilter (nf_tables and ctnetlink share NETLINK_NETFILTER).
 */
import { conntrackMessageCodecs } from './conntrack/protocol.js';
import { registerProtocol, type ProtocolCodec } from './netlink/registry.js';
import { routeProtocol } from './netlink/route/route-protocol.js';
import { netfilterProtocol } from './nft/protocol.js';

const netfilter: ProtocolCodec = {
  ...netfilterProtocol,
  messageCodec: (type) => conntrackMessageCodecs.get(type) ?? netfilterProtocol.messageCodec(type),
};

registerProtocol(routeProtocol);
registerProtocol(netfilter);
