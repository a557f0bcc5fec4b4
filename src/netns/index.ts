/** Network namespaces: create, open, list, delete; sysctls inside them; processes inside them. */
export { validateNetnsName, NETNS_NAME_MAX_BYTES } from './names.js';
export {
  NETNS_RUN_DIR,
  openNetns,
  resolveNetnsRef,
  type NetnsRef,
  type NetnsHandle,
  type ResolvedNetnsRef,
} from './handle.js';
export { createNetns, deleteNetns, isStaleNetns, listNetns } from './netns.js';
export { sysctlPath, sysctlRead, sysctlWrite } from './sysctl.js';
export { execInNetns, runInNetns, type ExecInNetnsOptions, type RunInNetnsOptions, type RunResult } from './exec.js';
export { type NetnsSystemError } from './system-error.js';
