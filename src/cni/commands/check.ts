/**
 * CHECK: is the attachment still as ADD left it? Compared with prevResult (as the spec asks):
 * the container interface (present, up, same MAC), its addresses, the routes of the result,
 * the host end on the bridge, the gateway on the bridge, and the nf_tables rules (chain,
 * jumps, masquerade, DNAT, the MAC check — expressions compared, counters ignored). The IPAM
 * plugin checks its reservation meanwhile. Every problem found is listed in the error.
 */
import { parsePrefix, type IpFamily } from '../../netlink/addresses.js';
import { connect } from '../../netlink/connect.js';
import type { Connection } from '../../netlink/connection.js';
import { Addresses } from '../../route/addresses.js';
import { Links } from '../../route/links.js';
import { Routes } from '../../route/routes.js';
import { openContainerNetns } from '../container-netns.js';
import { required } from '../environment.js';
import { CniError, CniErrorCode } from '../errors.js';
import { delegate } from '../ipam.js';
import { attachmentOf, requireIpam, type AttachmentRef, type Invocation } from '../invocation.js';
import { connectNetfilter, readTables } from '../netfilter.js';
import { resolveForwards } from '../port-mappings.js';
import type { CniResult } from '../result.js';
import { expectedRules } from '../rules.js';
import { checkAttachmentRules } from '../ruleset.js';

const familyName = (f: IpFamily): string => (f === 4 ? 'inet' : 'inet6');

/** Our container interface in prevResult and the addresses assigned to it. */
function ourPart(prev: CniResult, att: AttachmentRef, netnsPath: string) {
  const index = (prev.interfaces ?? []).findIndex((i) => i.name === att.key.ifname && i.sandbox === netnsPath);
  if (index < 0) throw new CniError(CniErrorCode.CheckFailed, `prevResult lists no interface ${att.key.ifname} in ${netnsPath}`);
  const ips = (prev.ips ?? []).filter((ip) => ip.interface === index);
  return { itf: prev.interfaces![index]!, ips };
}

async function checkContainer(conn: Connection, prev: CniResult, att: AttachmentRef, netnsPath: string, problems: string[]): Promise<void> {
  const { itf, ips } = ourPart(prev, att, netnsPath);
  const link = await new Links(conn).get(att.key.ifname);
  if (!link) {
    problems.push(`interface ${att.key.ifname} is missing in ${netnsPath}`);
    return;
  }
  if (itf.mac !== undefined && link.address?.toLowerCase() !== itf.mac.toLowerCase()) problems.push(`interface ${att.key.ifname} has MAC ${link.address ?? 'none'}, prevResult says ${itf.mac}`);
  const present = await new Addresses(conn).list({ dev: link.index });
  for (const ip of ips) {
    const p = parsePrefix(ip.address, 'address');
    if (!present.some((a) => a.family === familyName(p.family) && a.address === p.address && a.prefixLength === p.prefixLength)) problems.push(`address ${ip.address} is missing on ${att.key.ifname}`);
  }
  if (!link.up) return; // routes exist only on an interface that is up
  const routes = await new Routes(conn).list({ table: 'main' });
  for (const r of prev.routes ?? []) {
    const dst = parsePrefix(r.dst, 'dst');
    const to = dst.prefixLength === 0 ? 'default' : dst.prefixLength === (dst.family === 4 ? 32 : 128) ? dst.address : `${dst.address}/${dst.prefixLength}`;
    if (!routes.some((x) => x.family === familyName(dst.family) && x.to === to && (r.gw === undefined || x.via === r.gw))) problems.push(`route ${r.dst}${r.gw ? ` via ${r.gw}` : ''} is missing in the container`);
  }
}

async function checkHost(inv: Invocation, att: AttachmentRef, prev: CniResult, netnsPath: string, problems: string[]): Promise<void> {
  const { conf } = inv;
  const host = connect();
  try {
    const links = new Links(host);
    const bridge = await links.get(conf.bridge);
    if (!bridge) {
      problems.push(`bridge ${conf.bridge} is missing`);
      return;
    }
    const veth = await links.get(att.hostVeth);
    if (!veth) problems.push(`host interface ${att.hostVeth} is missing`);
    else {
      if (veth.master !== bridge.index) problems.push(`host interface ${att.hostVeth} is not a port of ${conf.bridge}`);
      if (!veth.up) problems.push(`host interface ${att.hostVeth} is down`);
    }
    if (conf.isGateway) {
      const present = await new Addresses(host).list({ dev: bridge.index });
      for (const ip of ourPart(prev, att, netnsPath).ips) {
        if (ip.gateway === undefined) continue;
        if (!present.some((a) => a.address === ip.gateway)) problems.push(`gateway ${ip.gateway} is missing on ${conf.bridge}`);
      }
    }
  } finally {
    host.close();
  }
  const ours = ourPart(prev, att, netnsPath);
  const addresses = ours.ips.map((ip) => parsePrefix(ip.address, 'address'));
  // The MAC check compares with the MAC ADD reported (a changed one is a problem found above).
  const mac = conf.macspoofchk ? ours.itf.mac : undefined;
  if (conf.macspoofchk && mac === undefined) problems.push(`prevResult gives no MAC for ${att.key.ifname}: its MAC check cannot be compared`);
  const expected = expectedRules({
    id: att.id, comment: att.comment, addresses, ipMasq: conf.ipMasq, forwards: resolveForwards(conf.portMappings, addresses), snat: conf.snat,
    macCheck: mac !== undefined ? { hostVeth: att.hostVeth, mac } : undefined,
  });
  if (expected.length === 0) return;
  const netfilter = connectNetfilter();
  try {
    problems.push(...checkAttachmentRules(await readTables(netfilter), att.id, expected));
  } finally {
    netfilter.close();
  }
}

export async function check(inv: Invocation): Promise<void> {
  const prev = inv.conf.prevResult;
  if (!prev) throw new CniError(CniErrorCode.InvalidNetworkConfig, 'CHECK needs prevResult (the result of the ADD being checked)');
  const att = attachmentOf(inv);
  const netnsPath = required(inv.env, 'netns');
  const reservation = delegate(requireIpam(inv), 'CHECK');
  reservation.catch(() => undefined);
  const netns = openContainerNetns(netnsPath);
  const problems: string[] = [];
  const conn = connect({ netnsFd: netns.fd });
  try {
    await checkContainer(conn, prev, att, netnsPath, problems);
  } finally {
    conn.close();
    netns.close();
  }
  await checkHost(inv, att, prev, netnsPath, problems);
  await reservation;
  if (problems.length > 0) {
    throw new CniError(CniErrorCode.CheckFailed, `attachment of ${att.key.containerId}/${att.key.ifname} to ${inv.conf.name} is not as ADD left it: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, problems.join('; '));
  }
}
