/**
 * Removing attachments, shared by DEL, GC and a failed ADD: their nf_tables rules (one batch
 * for all of them), their veth pairs (deleting the host end takes the container end along;
 * when the namespace is gone the kernel already removed both), and the conntrack entries of
 * their port mappings. Nothing here needs the container's namespace to exist.
 */
import { parsePrefix } from '../../netlink/addresses.js';
import { connect } from '../../netlink/connect.js';
import type { Connection } from '../../netlink/connection.js';
import { NetlinkError } from '../../netlink/errors.js';
import { Links } from '../../route/links.js';
import { openIfPresent } from '../container-netns.js';
import { delegate } from '../ipam.js';
import { ipamOf, type AttachmentRef, type Invocation } from '../invocation.js';
import { changeTable, connectNetfilter, flushConntrack, mappingFlows } from '../netfilter.js';
import type { PortMapping } from '../port-mappings.js';
import { removeAttachmentCommands } from '../ruleset.js';

export interface Doomed {
  id: string;
  hostVeth: string;
  /** The container's interface and namespace, when known: removed there if the host end is gone. */
  ifname?: string;
  netnsPath?: string;
  /** Addresses (`10.22.0.5/16`) and mappings whose conntrack entries go too. */
  addresses: readonly string[];
  portMappings: readonly PortMapping[];
}

const gone = (err: unknown): boolean => err instanceof NetlinkError && (err.code === 'ENODEV' || err.code === 'ENOENT');

/** Delete a link if it exists. Returns whether it was there. */
async function deleteLink(links: Links, name: string): Promise<boolean> {
  try {
    await links.delete(name);
    return true;
  } catch (err) {
    if (gone(err)) return false;
    throw err;
  }
}

/** The container end, when the host end was not found (renamed, or moved by someone). */
async function deleteInContainer(d: Doomed): Promise<void> {
  if (d.ifname === undefined) return;
  const netns = openIfPresent(d.netnsPath);
  if (!netns) return;
  const conn = connect({ netnsFd: netns.fd });
  try {
    const links = new Links(conn);
    const link = await links.get(d.ifname);
    // Only a veth: anything else by that name is not ours to remove.
    if (link?.kind === 'veth') await deleteLink(links, d.ifname);
  } finally {
    conn.close();
    netns.close();
  }
}

/**
 * Remove every trace of the attachments `doomed` from the host. Connections may be given (ADD
 * already has them); missing ones are opened and closed here.
 */
export async function teardown(dataDir: string, doomed: readonly Doomed[], conns: { host?: Connection; netfilter?: Connection } = {}): Promise<void> {
  if (doomed.length === 0) return;
  const netfilter = conns.netfilter ?? connectNetfilter();
  const host = conns.host ?? connect();
  // Every step runs even if an earlier one failed (a DEL must remove all it can); the first
  // failure is reported at the end, so the runtime retries and the retry finishes the job.
  const failures: unknown[] = [];
  const step = async (f: () => Promise<unknown>): Promise<void> => {
    try {
      await f();
    } catch (err) {
      failures.push(err);
    }
  };
  try {
    const ids = new Set(doomed.map((d) => d.id));
    await step(() => changeTable(netfilter, dataDir, (ruleset) => removeAttachmentCommands(ruleset, ids)));
    const links = new Links(host);
    for (const d of doomed) {
      await step(async () => {
        if (!(await deleteLink(links, d.hostVeth))) await deleteInContainer(d);
      });
    }
    const flows = doomed.flatMap((d) => mappingFlows(d.portMappings, d.addresses.map((a) => parsePrefix(a, 'address'))));
    await step(() => flushConntrack(netfilter, flows));
  } finally {
    if (!conns.netfilter) netfilter.close();
    if (!conns.host) host.close();
  }
  if (failures.length > 0) throw failures[0];
}

/** Undo a failed ADD, best effort: the first error (the one reported) must not be masked. */
export async function undoAttachment(inv: Invocation, att: AttachmentRef, c: { host: Connection; netfilter?: Connection | undefined; allocated: boolean }): Promise<void> {
  try {
    await teardown(inv.conf.dataDir, [{ id: att.id, hostVeth: att.hostVeth, addresses: [], portMappings: [] }], { host: c.host, ...(c.netfilter ? { netfilter: c.netfilter } : {}) });
  } catch {
    /* reported error wins; DEL or GC will finish the job */
  }
  const ipam = ipamOf(inv);
  if (c.allocated && ipam) {
    try {
      await delegate(ipam, 'DEL');
    } catch {
      /* as above */
    }
  }
}
