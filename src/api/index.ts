/** The high-level API: topologies (desired state) with NAT and port forwards. */
export * from './topology/index.js';
export { natTableCommands, natTableRemoval, masqueradeRule, forwardRules, hairpinRule, type NatSpec } from './nat/table.js';
export * as natMatches from './nat/matches.js';
