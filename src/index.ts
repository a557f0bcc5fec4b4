/**
 * netns-ts: netlink for Node.js. Network namespaces, and the netlink core that families
 * (rtnetlink, nf_tables) build on.
 */
export * from './netlink/index.js';
export * from './netns/index.js';
export { connectInNetns } from './netns/connect.js';
