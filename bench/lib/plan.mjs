/**
 * Names and numbers of every workload, shared by all contenders (the C floor mirrors them in
 * bench/floor/floor.h: keep the two in step). Namespace i (0-based) of the topology is
 * `bench-ns-i`; its host-side veth is `bv<i>`, its peer inside is `eth0` with address
 * 10.200.x.y/16 (10.200.0.2 upwards); the bridge `bbr0` has 10.200.0.1/16.
 */

export const BRIDGE = 'bbr0';
export const BRIDGE_ADDR = '10.200.0.1';
export const PREFIXLEN = 16;
/** Link group of the bridge and host veths, for contenders that delete in bulk. */
export const GROUP = 77;
export const PEER = 'eth0';
/** nf_tables table of workload 1 (chains `pre` and `post`). */
export const TOPO_TABLE = 'bench';
/** nf_tables table of workload 3 (chain `pre`). */
export const NAT_TABLE = 'benchnat';
export const DNAT_TO_PORT = 8080;
export const DNAT_FIRST_PORT = 10000;
/** NAT chain priorities, as nft's `dstnat` and `srcnat`. */
export const PRE_PRIORITY = -100;
export const POST_PRIORITY = 100;
/** Namespace of workload 2 (dumps). */
export const DUMP_NETNS = 'bench-dump';

export const nsName = (i) => `bench-ns-${i}`;
export const vethName = (i) => `bv${i}`;
export const dnatPort = (i) => DNAT_FIRST_PORT + i;

function dotted(n) {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Address of namespace i in the topology. */
export const topoAddr = (i) => dotted(((10 << 24) | (200 << 16)) + i + 2);
/** Address DNAT rule i of workload 3 points to. */
export const natAddr = (i) => dotted(((10 << 24) | (201 << 16)) + i);

/** Everything one namespace of the topology needs, for contenders that iterate. */
export function topologyEntries(n) {
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    netns: nsName(i),
    veth: vethName(i),
    address: topoAddr(i),
    port: dnatPort(i),
  }));
}
