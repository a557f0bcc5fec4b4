export { Conntrack, matchesFilter, type ConntrackFilter } from './client.js';
export { type ConntrackEntry, type ConntrackTuple } from './entry.js';
export { conntrackAttributes, ctTupleAttributes } from './attributes.js';
export { conntrackMessageCodecs, ctMessageType } from './protocol.js';
export { CtMsg, CtStatus, IpProto } from './constants.js';
