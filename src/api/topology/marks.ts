/**
 * How netns-ts recognises what a topology created, so cleanup never touches anything else:
 * host links carry the topology's link group (set in the creating request, so even a crash
 * right after creation leaves them marked) and an alias a person can read; namespaces carry
 * the alias on their loopback; the NAT table has the topology's name.
 */
import { createHash } from 'node:crypto';

/** `netns-ts:NAME`, shown by `ip link` as the link's alias. */
export function ownerAlias(topology: string): string {
  return `netns-ts:${topology}`;
}

/**
 * The link group (IFLA_GROUP) of a topology's host links, for deleting them in one request.
 * Derived from the name; 0 (every link's default group) is impossible by construction.
 */
export function ownerGroup(topology: string): number {
  const h = createHash('sha256').update(`netns-ts:${topology}`).digest().readUInt32BE(0);
  return 0x10000 + (h % 0x7ffe0000);
}

export function natTableName(topology: string): string {
  return `netns-ts-${topology}`;
}
