/**
 * DEL: release everything of one attachment. Idempotent, and complete when CNI_NETNS is empty
 * or the namespace is already gone: rules are found by the attachment id in their comments,
 * the host veth by its derived name; the IPAM plugin is asked to release the address in
 * parallel.
 */
import { delegate } from '../ipam.js';
import { attachmentOf, ipamOf, type Invocation } from '../invocation.js';
import { ipPrefix } from '../result.js';
import { readState, removeState } from '../state.js';
import { teardown } from './teardown.js';

export async function del(inv: Invocation): Promise<void> {
  const { conf } = inv;
  const att = attachmentOf(inv);
  const ipam = ipamOf(inv);
  const release = ipam ? delegate(ipam, 'DEL') : Promise.resolve(undefined);
  release.catch(() => undefined);
  const state = readState(conf.dataDir, conf.name, att.id);
  // Without a state file, prevResult and runtimeConfig tell which flows to forget.
  const ours = conf.prevResult?.ips?.filter((ip) => {
    const itf = ip.interface === undefined ? undefined : conf.prevResult?.interfaces?.[ip.interface];
    return itf === undefined || itf.name === att.key.ifname;
  });
  const addresses = state?.addresses ?? (ours ?? []).map((ip) => {
    const p = ipPrefix(ip);
    return `${p.address}/${p.prefixLength}`;
  });
  await teardown(conf.dataDir, [
    {
      id: att.id,
      hostVeth: att.hostVeth,
      ifname: att.key.ifname,
      ...(inv.env.netns !== undefined ? { netnsPath: inv.env.netns } : {}),
      addresses,
      portMappings: state?.portMappings ?? conf.portMappings,
    },
  ]);
  removeState(conf.dataDir, conf.name, att.id);
  await release;
}
