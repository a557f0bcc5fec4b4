export type { Topology, BridgeSpec, NamespaceSpec, NamespaceInterfaceSpec, VethLinkSpec, VethEndSpec, RouteSpec, NatSpec as TopologyNatSpec, MasqueradeSpec, ForwardSpec } from './schema.js';
export { validateTopology, derivePeerName } from './validate.js';
export { apply, plan, destroy, loadTopology, type ApplyResult, type PlanResult, type DestroyResult } from './apply.js';
export { ApplyError, TopologyConflictError } from './errors.js';
export { ownerAlias, ownerGroup, natTableName } from './marks.js';
export { readJournal, JOURNAL_DIR, type Journal } from './journal.js';
