/**
 * netns-ts: netlink for Node.js. Network namespaces, rtnetlink (links, addresses, routes,
 * neighbours, events), nf_tables, conntrack, the high-level topology API, and the netlink core
 * they build on.
 */
import './protocols.js';

export * from './netlink/index.js';
export * from './netns/index.js';
export { connectInNetns, connectInNetnsAsync, type ConnectInNetnsOptions } from './netns/connect.js';
export * from './route/index.js';
export { decodeLink, encodeLink, linkFromMessage, type Link } from './netlink/route/link.js';
export { RtmType, RtnlGroup, AddressFamily } from './netlink/route/constants.js';
export * from './nft/index.js';
export { renderRule } from './nft/render/index.js';
export * from './conntrack/index.js';
export * from './api/index.js';
