/**
 * An attachment's identity: the spec's key `(network name, container id, interface name)`,
 * hashed into a short id from which every name this plugin gives follows — the host end of
 * the veth, the attachment's nf_tables chain and the comment on its rules. Because the names
 * are derived, DEL and GC find everything again even when the container's namespace and the
 * state file are gone.
 */
import { createHash } from 'node:crypto';

export interface AttachmentKey {
  network: string;
  containerId: string;
  ifname: string;
}

/** Hex digits of the id: 64 bits, so distinct attachments on one node do not collide. */
const ID_HEX = 16;
/** `veth` + 11 hex digits = 15 bytes, the longest interface name (IFNAMSIZ - 1). */
const VETH_PREFIX = 'veth';
const VETH_ID_HEX = 11;
/** Network names up to this length are kept in comments as they are, longer ones hashed. */
const NETWORK_TAG_MAX = 64;
const COMMENT_PREFIX = 'netns-ts-cni';
const CHAIN_PREFIX = 'cni-';
const CONTAINER_ID_SHOWN = 12;

/** The attachment id: 16 hex digits of SHA-256 over the key. */
export function attachmentId(key: AttachmentKey): string {
  return createHash('sha256').update(`${key.network}\0${key.containerId}\0${key.ifname}`).digest('hex').slice(0, ID_HEX);
}

/** Name of the host end of the attachment's veth pair. */
export function hostVethName(id: string): string {
  return `${VETH_PREFIX}${id.slice(0, VETH_ID_HEX)}`;
}

/** The regular nf_tables chain holding the attachment's port mappings. */
export function attachmentChain(id: string): string {
  return `${CHAIN_PREFIX}${id}`;
}

/** Whether a chain name is an attachment chain, and whose. */
export function chainAttachmentId(chain: string | undefined): string | undefined {
  if (chain === undefined || !chain.startsWith(CHAIN_PREFIX)) return undefined;
  const id = chain.slice(CHAIN_PREFIX.length);
  return /^[0-9a-f]{16}$/.test(id) ? id : undefined;
}

/** How a network is named in comments: its name, or a hash of a very long one. */
export function networkTag(network: string): string {
  return network.length <= NETWORK_TAG_MAX ? network : `#${createHash('sha256').update(network).digest('hex').slice(0, ID_HEX)}`;
}

/**
 * The comment on each rule of the attachment, e.g.
 * `netns-ts-cni 1a2b3c4d5e6f7a8b net=kubenet ctr=3f6940ab5ab4 if=eth0` — the id and network
 * for DEL and GC, the rest for people reading `nft list ruleset`.
 */
export function ruleComment(key: AttachmentKey, id = attachmentId(key)): string {
  return `${COMMENT_PREFIX} ${id} net=${networkTag(key.network)} ctr=${key.containerId.slice(0, CONTAINER_ID_SHOWN)} if=${key.ifname}`;
}

/** The id and network tag of one of our rule comments; undefined for any other comment. */
export function parseRuleComment(comment: string | undefined): { id: string; network: string } | undefined {
  if (comment === undefined) return undefined;
  const m = /^netns-ts-cni ([0-9a-f]{16}) net=(\S+)/.exec(comment);
  return m ? { id: m[1]!, network: m[2]! } : undefined;
}
