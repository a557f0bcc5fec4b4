/**
 * The C floor's rtnetlink requests for the topology workload (bench/floor/topology.c), as raw
 * bytes, for the scripts that send them from Node straight through the binding
 * (bench/scripts/setup-floors.mjs, setup-footprint.mjs, veth-sends.mjs, inside-threads.mjs):
 * what a Node.js process pays for the same syscalls with no library logic at all.
 * Little-endian host.
 */
import { closeSync, openSync } from 'node:fs';
import * as plan from './plan.mjs';

// uapi: <linux/netlink.h>, <linux/rtnetlink.h>, <linux/if_link.h>, <linux/if_addr.h>, <linux/veth.h>
const NLMSG_ERROR = 2;
const NLM_F_REQUEST_ACK = 0x5;
const NLM_F_CREATE_EXCL = 0x600;
const RTM_NEWLINK = 16;
const RTM_NEWADDR = 20;
const RTM_NEWROUTE = 24;
const IFLA = { IFNAME: 3, MASTER: 10, LINKINFO: 18, GROUP: 27, NET_NS_FD: 28 };
const IFLA_INFO = { KIND: 1, DATA: 2 };
const VETH_INFO_PEER = 1;
const IFA = { ADDRESS: 1, LOCAL: 2 };
const RTA = { OIF: 4, GATEWAY: 5 };
const AF_INET = 2;
const IFF_UP = 1;
/** Inside a new namespace lo is ifindex 1 and the veth's peer 2, as the floor assumes. */
const LO_INDEX = 1;
const PEER_INDEX = 2;

let seq = 1;
function message(type, flags, body) {
  const b = Buffer.alloc(16 + body.length);
  b.writeUInt32LE(16 + body.length, 0);
  b.writeUInt16LE(type, 4);
  b.writeUInt16LE(NLM_F_REQUEST_ACK | flags, 6);
  b.writeUInt32LE(seq++, 8);
  body.copy(b, 16);
  return b;
}
function attribute(type, value) {
  const b = Buffer.alloc((4 + value.length + 3) & ~3);
  b.writeUInt16LE(4 + value.length, 0);
  b.writeUInt16LE(type, 2);
  value.copy(b, 4);
  return b;
}
const u32 = (v) => Buffer.from(Uint32Array.of(v).buffer);
const text = (s) => Buffer.from(`${s}\0`);
const ipv4 = (s) => Buffer.from(s.split('.').map(Number));
function ifinfomsg(index, up) {
  const b = Buffer.alloc(16);
  b.writeInt32LE(index, 4);
  if (up) {
    b.writeUInt32LE(IFF_UP, 8);
    b.writeUInt32LE(IFF_UP, 12);
  }
  return b;
}
const newLink = (flags, ...parts) => message(RTM_NEWLINK, flags, Buffer.concat(parts));

/** The bench's bridge, up, in the bench's link group. */
export const bridgeRequest = () =>
  newLink(NLM_F_CREATE_EXCL, ifinfomsg(0, true), attribute(IFLA.IFNAME, text(plan.BRIDGE)), attribute(IFLA.GROUP, u32(plan.GROUP)), attribute(IFLA.LINKINFO, attribute(IFLA_INFO.KIND, text('bridge'))));

/** IPv4 `address`/PREFIXLEN on the link `index`. */
export const addressRequest = (index, address) =>
  message(RTM_NEWADDR, NLM_F_CREATE_EXCL, Buffer.concat([Buffer.from([AF_INET, plan.PREFIXLEN, 0, 0]), u32(index), attribute(IFA.LOCAL, ipv4(address)), attribute(IFA.ADDRESS, ipv4(address))]));

/**
 * One veth of a topology entry: up, enslaved to the bridge `bridgeIndex`, in the group, its
 * peer placed in the namespace open as `nsFd` (the peer stays down: the kernel refuses IFF_UP there).
 */
export function vethRequest(entry, bridgeIndex, nsFd) {
  const peer = attribute(VETH_INFO_PEER, Buffer.concat([ifinfomsg(0, false), attribute(IFLA.IFNAME, text(plan.PEER)), attribute(IFLA.NET_NS_FD, u32(nsFd))]));
  return newLink(
    NLM_F_CREATE_EXCL,
    ifinfomsg(0, true),
    attribute(IFLA.IFNAME, text(entry.veth)),
    attribute(IFLA.MASTER, u32(bridgeIndex)),
    attribute(IFLA.GROUP, u32(plan.GROUP)),
    attribute(IFLA.LINKINFO, Buffer.concat([attribute(IFLA_INFO.KIND, text('veth')), attribute(IFLA_INFO.DATA, peer)])),
  );
}

const rtmsg = Buffer.from([AF_INET, 0, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0]); // main table, boot, universe, unicast
/** The body of `ip link set IFINDEX up`: an ifinfomsg with IFF_UP set and changed. */
export const linkUpBody = (index) => ifinfomsg(index, true);
/** `ip link set IFINDEX up` as a whole message (bench/scripts/idle-cost.mjs sends it alone). */
export const linkUpRequest = (index) => newLink(0, linkUpBody(index));

/** The work inside an entry's namespace: lo up, the peer up, its address, the default route. */
export const insideRequests = (entry) => [
  linkUpRequest(LO_INDEX),
  linkUpRequest(PEER_INDEX),
  addressRequest(PEER_INDEX, entry.address),
  message(RTM_NEWROUTE, NLM_F_CREATE_EXCL, Buffer.concat([rtmsg, attribute(RTA.GATEWAY, ipv4(plan.BRIDGE_ADDR)), attribute(RTA.OIF, u32(PEER_INDEX))])),
];

// uapi: <linux/netlink.h>, <linux/netfilter/nfnetlink.h>
const NETLINK_ROUTE = 0;
const NETLINK_NETFILTER = 12;
const NFNL_MSG_BATCH_BEGIN = 0x10;
/** <linux/netfilter/nfnetlink.h>: a batch's res_id names the subsystem it is for. */
const NFNL_SUBSYS_NFTABLES = 10;
/** nlmsghdr + nfgenmsg: BATCH_BEGIN has nothing else. */
const BATCH_BEGIN_LENGTH = 20;

/**
 * Whether a send is an nf_tables batch: it starts with NFNL_MSG_BATCH_BEGIN for nf_tables. The
 * type alone does not tell (RTM_NEWLINK has the same number, 16); the message's length and its
 * nfgenmsg's res_id do.
 */
function isNftBatch(parts) {
  const start = Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))).subarray(0, BATCH_BEGIN_LENGTH);
  return start.length === BATCH_BEGIN_LENGTH && start.readUInt32LE(0) === BATCH_BEGIN_LENGTH && start.readUInt16LE(4) === NFNL_MSG_BATCH_BEGIN && start.readUInt16BE(18) === NFNL_SUBSYS_NFTABLES;
}
/** <sys/socket.h>, and bench/floor/nl.c's SOCKET_BUFFER. */
const SOL_SOCKET = 1;
const SO_SNDBUFFORCE = 32;
const FLOOR_SOCKET_BUFFER = 64 * 1024 * 1024;
/** bench/floor/topology.c's VETH_CHUNK. */
const VETH_CHUNK = 64;

/** The phases of floorSetupFromNode, in order (it calls `mark()` after each). */
export const FLOOR_SETUP_PHASES = ['sockets', 'bridge', 'bridge address', 'namespaces', 'veths', 'inside', 'nf_tables', 'close'];

/**
 * The floor's topology setup of `entries` sent from Node: the same requests in the same
 * datagrams (veths 64 to one, the four requests inside each namespace in one), each answer
 * read right after its send, the namespaces made by the binding's netnsCreateConnected (in
 * `netnsDir`), the nf_tables batch the bytes `batch` (captureNftBatch). `mark()` is called
 * after each of FLOOR_SETUP_PHASES.
 */
export function floorSetupFromNode(native, entries, batch, netnsDir, mark = () => {}) {
  const host = native.socketOpen(NETLINK_ROUTE, -1);
  const nft = native.socketOpen(NETLINK_NETFILTER, -1);
  // The batch is one datagram (about 200 KB at N = 500): past the default send buffer, as the
  // floor's nl_socket (bench/floor/nl.c) sets it.
  native.setsockoptInt(nft, SOL_SOCKET, SO_SNDBUFFORCE, FLOOR_SOCKET_BUFFER);
  mark();
  exchange(native, host, [bridgeRequest()], 'bridge');
  mark();
  const bridgeIndex = native.socketIfindex(host, plan.BRIDGE);
  exchange(native, host, [addressRequest(bridgeIndex, plan.BRIDGE_ADDR)], 'bridge address');
  mark();
  const insideFds = entries.map((e) => native.netnsCreateConnected(netnsDir, e.netns, NETLINK_ROUTE));
  mark();
  for (let start = 0; start < entries.length; start += VETH_CHUNK) {
    const chunk = entries.slice(start, start + VETH_CHUNK);
    const nsFds = chunk.map((e) => openSync(`${netnsDir}/${e.netns}`, 'r'));
    exchange(native, host, chunk.map((e, i) => vethRequest(e, bridgeIndex, nsFds[i])), 'veths');
    for (const fd of nsFds) closeSync(fd);
  }
  mark();
  entries.forEach((e, i) => exchange(native, insideFds[i], insideRequests(e), 'inside'));
  mark();
  exchange(native, nft, batch, 'nf_tables');
  mark();
  for (const fd of [...insideFds, host, nft]) native.socketClose(fd);
  mark();
}

/**
 * The nf_tables batch a library setup sends (`setup()`, run once here), as the bytes it sent:
 * they do not change between setups of the same size.
 */
export async function captureNftBatch(native, setup) {
  let batch;
  const send = native.socketSend;
  native.socketSend = (fd, parts) => {
    if (isNftBatch(parts)) batch = parts.map((p) => Uint8Array.from(p));
    return send(fd, parts);
  };
  try {
    await setup();
  } finally {
    native.socketSend = send;
  }
  if (!batch) throw new Error('the library sent no nf_tables batch');
  return batch;
}

/**
 * Send `parts` as one datagram on `fd` through the binding and read every answer (the kernel
 * queued them by the time sendmsg returned); throws, naming `what`, if one is a refusal.
 */
export function exchange(native, fd, parts, what) {
  native.socketSend(fd, parts);
  for (let got; (got = native.socketRecv(fd)) !== null; ) {
    const d = got.data;
    for (let at = 0; at < d.length; at += (d.readUInt32LE(at) + 3) & ~3) {
      if (d.readUInt16LE(at + 4) === NLMSG_ERROR && d.readInt32LE(at + 16) !== 0) throw new Error(`${what}: errno ${-d.readInt32LE(at + 16)}`);
    }
  }
}
