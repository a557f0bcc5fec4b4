/**
 * GC (CNI 1.1.0): remove every attachment of this network that the runtime no longer lists in
 * `cni.dev/valid-attachments` — whether this plugin knows it from a state file, from rules in
 * its table, or both — then let the IPAM plugin collect its own garbage (when it speaks 1.1.0).
 */
import { attachmentId, hostVethName, networkTag } from '../attachment.js';
import { CniError, CniErrorCode } from '../errors.js';
import { delegate, pluginVersions } from '../ipam.js';
import { ipamOf, type Invocation } from '../invocation.js';
import { connectNetfilter, readTables } from '../netfilter.js';
import { attachmentsInRuleset } from '../ruleset.js';
import { listStates, removeState } from '../state.js';
import { teardown, type Doomed } from './teardown.js';

/** Which recorded or ruled attachments are not valid any more (pure, for tests). */
export function staleAttachments(
  valid: ReadonlyArray<{ containerID: string; ifname: string }>,
  network: string,
  recorded: ReadonlyArray<{ id: string }>,
  ruled: ReadonlyMap<string, string | undefined>,
): Set<string> {
  const keep = new Set(valid.map((a) => attachmentId({ network, containerId: a.containerID, ifname: a.ifname })));
  const tag = networkTag(network);
  const stale = new Set<string>();
  for (const s of recorded) if (!keep.has(s.id)) stale.add(s.id);
  // Rules of other networks share the table: only ours (by the tag in the comment) are candidates.
  for (const [id, net] of ruled) if (net === tag && !keep.has(id)) stale.add(id);
  return stale;
}

export async function gc(inv: Invocation): Promise<void> {
  const { conf } = inv;
  if (!conf.validAttachments) throw new CniError(CniErrorCode.InvalidNetworkConfig, 'GC needs cni.dev/valid-attachments (the attachments still in use)');
  const states = listStates(conf.dataDir, conf.name);
  const netfilter = connectNetfilter();
  try {
    const ruled = attachmentsInRuleset(await readTables(netfilter));
    const stale = staleAttachments(conf.validAttachments, conf.name, states, ruled);
    const doomed: Doomed[] = [...stale].map((id) => {
      const s = states.find((x) => x.id === id);
      return {
        id,
        hostVeth: s?.hostVeth ?? hostVethName(id),
        ...(s ? { ifname: s.ifname } : {}),
        ...(s?.netns !== undefined ? { netnsPath: s.netns } : {}),
        addresses: s?.addresses ?? [],
        portMappings: s?.portMappings ?? [],
      };
    });
    await teardown(conf.dataDir, doomed, { netfilter });
    for (const id of stale) removeState(conf.dataDir, conf.name, id);
  } finally {
    netfilter.close();
  }
  const ipam = ipamOf(inv);
  if (ipam && (await pluginVersions(ipam))?.includes('1.1.0')) await delegate(ipam, 'GC');
}
