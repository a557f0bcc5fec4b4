/**
 * ADD: connect the container to the network.
 *
 *  1. record the attachment (state file) and start the IPAM plugin, which runs meanwhile;
 *  2. bridge ready (created on first use), veth pair created with its container end directly
 *     in the container's namespace, host end on the bridge;
 *  3. with the IPAM result: addresses and routes in the container, gateway on the bridge;
 *  4. ONE nf_tables batch with the attachment's masquerade, port-mapping and MAC check rules;
 *  5. the result, appended to prevResult when chained.
 *
 * Anything failing after the first change is undone (veth, rules, IP reservation).
 */
import { parsePrefix, type IpFamily, type ParsedPrefix } from '../../netlink/addresses.js';
import { connect } from '../../netlink/connect.js';
import type { Connection } from '../../netlink/connection.js';
import { Addresses } from '../../route/addresses.js';
import { Links } from '../../route/links.js';
import { ensureBridge, ensureGateways, enableForwarding, enableRouteLocalnet, gatewayOf } from '../bridge.js';
import { configureContainer, createVethPair } from '../container.js';
import { openContainerNetns } from '../container-netns.js';
import { required } from '../environment.js';
import { CniError, CniErrorCode } from '../errors.js';
import { delegate } from '../ipam.js';
import { attachmentOf, requireIpam, type Invocation } from '../invocation.js';
import { changeTable, connectNetfilter, flushConntrack, staleUdpFlows } from '../netfilter.js';
import { resolveForwards } from '../port-mappings.js';
import { mergeResult, type CniIpConfig, type CniResult, type CniRoute } from '../result.js';
import { addAttachmentCommands, tableCommands, type AttachmentRules } from '../rules.js';
import { removeAttachmentCommands } from '../ruleset.js';
import { removeState, writeState, type AttachmentState } from '../state.js';
import { undoAttachment } from './teardown.js';

/** Interface indexes in our part of the result: bridge, host veth, container. */
const CONTAINER_INTERFACE = 2;

export async function add(inv: Invocation): Promise<CniResult> {
  const { conf } = inv;
  const att = attachmentOf(inv);
  const netnsPath = required(inv.env, 'netns');
  const ipam = requireIpam(inv);
  const netns = openContainerNetns(netnsPath);
  const state: AttachmentState = {
    network: conf.name, containerId: att.key.containerId, ifname: att.key.ifname, id: att.id, netns: netnsPath,
    bridge: conf.bridge, hostVeth: att.hostVeth, addresses: [], portMappings: conf.portMappings, complete: false,
  };
  writeState(conf.dataDir, state);
  // The IPAM plugin is a separate process: let it work while the links are made.
  const allocation = delegate(ipam, 'ADD');
  allocation.catch(() => undefined);
  const host = connect();
  let inContainer: Connection | undefined;
  let netfilter: Connection | undefined;
  let allocated = false;
  try {
    const links = new Links(host);
    const bridge = await ensureBridge(links, { name: conf.bridge, promiscMode: conf.promiscMode, ...(conf.mtu !== undefined ? { mtu: conf.mtu } : {}) });
    await createVethPair(links, {
      hostVeth: att.hostVeth, bridgeIndex: bridge.index, ifname: att.key.ifname, netnsPath,
      ...(conf.mtu !== undefined ? { mtu: conf.mtu } : {}), ...(conf.mac !== undefined ? { mac: conf.mac } : {}),
    });
    if (conf.hairpinMode || conf.portIsolation) {
      await links.setBridgePort(att.hostVeth, { ...(conf.hairpinMode ? { hairpin: true } : {}), ...(conf.portIsolation ? { isolated: true } : {}) });
    }
    const ipamResult = (await allocation)!;
    allocated = true;
    const addresses = ipamResult.ips!.map((ip) => parsePrefix(ip.address, 'address'));
    state.addresses = addresses.map((a) => `${a.address}/${a.prefixLength}`);
    writeState(conf.dataDir, state);
    const ips: CniIpConfig[] = ipamResult.ips!.map((ip, i) => {
      const gateway = conf.isGateway ? gatewayOf(addresses[i]!, ip.gateway) : ip.gateway;
      return { address: ip.address, ...(gateway !== undefined ? { gateway } : {}), interface: CONTAINER_INTERFACE };
    });
    const gateways: Partial<Record<IpFamily, string>> = {};
    ips.forEach((ip, i) => {
      const family = addresses[i]!.family;
      if (ip.gateway !== undefined && gateways[family] === undefined) gateways[family] = ip.gateway;
    });
    const routes = routesOf(ipamResult.routes ?? [], conf.isDefaultGateway, gateways);
    inContainer = connect({ netnsFd: netns.fd });
    const container = await configureContainer(inContainer, {
      ifname: att.key.ifname, up: !conf.disableContainerInterface, addresses, gateways, routes, enableDad: conf.enableDad,
    });
    if (conf.isGateway) {
      const gatewayPrefixes: ParsedPrefix[] = ips.flatMap((ip, i) => (ip.gateway === undefined ? [] : [{ ...parsePrefix(ip.gateway, 'gateway'), prefixLength: addresses[i]!.prefixLength }]));
      await ensureGateways(new Addresses(host), bridge.index, gatewayPrefixes, conf.forceAddress);
      enableForwarding(new Set(addresses.map((a) => a.family)));
    }
    const forwards = resolveForwards(conf.portMappings, addresses);
    if (conf.ipMasq || forwards.length > 0 || conf.macspoofchk) {
      const rules: AttachmentRules = {
        id: att.id, comment: att.comment, addresses, ipMasq: conf.ipMasq, forwards, snat: conf.snat,
        macCheck: conf.macspoofchk ? { hostVeth: att.hostVeth, mac: macOf(container.mac) } : undefined,
      };
      netfilter = connectNetfilter();
      await changeTable(netfilter, conf.dataDir, (ruleset) => [
        ...tableCommands(conf.macspoofchk),
        // Leftovers of an earlier ADD of this attachment that died half-way.
        ...removeAttachmentCommands(ruleset, new Set([att.id])),
        ...addAttachmentCommands(rules),
      ]);
      if (forwards.length > 0 && conf.snat && addresses.some((a) => a.family === 4)) enableRouteLocalnet(conf.bridge);
      await flushConntrack(netfilter, staleUdpFlows(conf.portMappings));
    }
    const hostVeth = await links.get(att.hostVeth);
    state.complete = true;
    writeState(conf.dataDir, state);
    const ours: CniResult = {
      cniVersion: conf.cniVersion,
      interfaces: [
        { name: conf.bridge, ...(bridge.address !== undefined ? { mac: bridge.address } : {}) },
        { name: att.hostVeth, ...(hostVeth?.address !== undefined ? { mac: hostVeth.address } : {}) },
        { name: att.key.ifname, ...(container.mac !== undefined ? { mac: container.mac } : {}), ...(conf.mtu !== undefined ? { mtu: conf.mtu } : {}), sandbox: netnsPath },
      ],
      ips,
      routes,
    };
    const dns = ipamResult.dns && Object.keys(ipamResult.dns).length > 0 ? ipamResult.dns : conf.dns;
    if (dns) ours.dns = dns;
    return mergeResult(conf.prevResult, ours);
  } catch (err) {
    await undoAttachment(inv, att, { host, netfilter, allocated: allocated || (await settled(allocation)) });
    removeState(conf.dataDir, att.key.network, att.id);
    throw err;
  } finally {
    host.close();
    inContainer?.close();
    netfilter?.close();
    netns.close();
  }
}

/** The container interface's MAC, which a MAC check needs (an Ethernet veth always has one). */
function macOf(mac: string | undefined): string {
  if (mac === undefined) throw new CniError(CniErrorCode.OperationFailed, 'macspoofchk: the container interface has no MAC address to check against');
  return mac;
}

/** Whether the IPAM call ended in an allocation (so a failed ADD must release it). */
async function settled(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch {
    return false;
  }
}

/** IPAM's routes, plus a default route per family via the gateway when isDefaultGateway. */
function routesOf(ipamRoutes: readonly CniRoute[], isDefaultGateway: boolean, gateways: Partial<Record<IpFamily, string>>): CniRoute[] {
  const routes = [...ipamRoutes];
  if (!isDefaultGateway) return routes;
  for (const [family, gw] of Object.entries(gateways) as Array<[string, string]>) {
    const dst = family === '4' ? '0.0.0.0/0' : '::/0';
    if (!routes.some((r) => parsePrefix(r.dst, 'dst').prefixLength === 0 && parsePrefix(r.dst, 'dst').family === Number(family))) routes.push({ dst, gw });
  }
  return routes;
}
