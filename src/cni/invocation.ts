/** One run of the plugin: the checked environment and configuration, and what to pass on to IPAM. */
import { attachmentId, hostVethName, ruleComment, type AttachmentKey } from './attachment.js';
import type { NetworkConfig } from './config.js';
import type { CniEnvironment } from './environment.js';
import { required } from './environment.js';
import { CniError, CniErrorCode } from './errors.js';
import type { Delegation, PluginExec } from './ipam.js';

export interface Invocation {
  env: CniEnvironment;
  conf: NetworkConfig;
  /** stdin exactly as received: the IPAM plugin gets the same bytes. */
  stdin: string;
  /** The process environment, passed on to the IPAM plugin. */
  processEnv: Record<string, string | undefined>;
  /** How delegated plugins run (real processes unless a test swaps it). */
  exec?: PluginExec;
}

/** The attachment this invocation is about (ADD, DEL, CHECK). */
export interface AttachmentRef {
  key: AttachmentKey;
  id: string;
  hostVeth: string;
  comment: string;
}

export function attachmentOf(inv: Invocation): AttachmentRef {
  const key = { network: inv.conf.name, containerId: required(inv.env, 'containerId'), ifname: required(inv.env, 'ifname') };
  const id = attachmentId(key);
  return { key, id, hostVeth: hostVethName(id), comment: ruleComment(key, id) };
}

/** The IPAM delegation of this invocation; undefined when the configuration has no IPAM. */
export function ipamOf(inv: Invocation): Delegation | undefined {
  const ipam = inv.conf.ipam;
  if (!ipam) return undefined;
  return { type: ipam.type, cniPath: inv.env.path, stdin: inv.stdin, env: inv.processEnv, ...(inv.exec ? { exec: inv.exec } : {}) };
}

/** ADD and CHECK need an IPAM plugin: the bridge has no addresses of its own to give. */
export function requireIpam(inv: Invocation): Delegation {
  const d = ipamOf(inv);
  if (!d) throw new CniError(CniErrorCode.InvalidNetworkConfig, 'ipam.type is required: name the IPAM plugin (e.g. host-local)');
  return d;
}
