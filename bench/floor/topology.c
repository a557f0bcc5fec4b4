/*
 * Workload 1: N namespaces on one bridge. Setup sends everything the kernel needs in as few
 * requests as it accepts: one RTM_NEWLINK per veth creates it, puts its peer in the namespace,
 * enslaves it and sets it up; inside each namespace one datagram carries lo up, eth0 up, the
 * address and the default route; all nf_tables objects go in one batch. Teardown is bulk:
 * one nf_tables message, one RTM_DELLINK for the whole link group, then the namespace names.
 */
#include "floor.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/netfilter.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Requests per datagram when creating veths: bounded so acks never overrun the socket. */
#define VETH_CHUNK 64
#define MSG_SPACE 1024

static uint32_t seq;

static struct nlmsghdr *put_msg(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seq;
	return nlh;
}

static void put_link_up(char *buf, int ifindex)
{
	struct nlmsghdr *nlh = put_msg(buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
}

static void put_addr(char *buf, int ifindex, uint32_t addr)
{
	struct nlmsghdr *nlh = put_msg(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = TOPO_PREFIXLEN;
	ifa->ifa_index = ifindex;
	uint32_t be = htonl(addr);
	mnl_attr_put_u32(nlh, IFA_LOCAL, be);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, be);
}

static void put_default_route(char *buf, int ifindex, uint32_t gateway)
{
	struct nlmsghdr *nlh = put_msg(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(gateway));
	mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
}

static int create_bridge(int rtnl)
{
	char buf[MSG_SPACE * 2];
	struct nlmsghdr *nlh = put_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, BRIDGE_NAME);
	mnl_attr_put_u32(nlh, IFLA_GROUP, TOPO_GROUP);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, info);
	nl_send(rtnl, nlh, nlh->nlmsg_len);
	nl_wait_ack(rtnl, seq, "create bridge");
	int index = if_nametoindex(BRIDGE_NAME);
	if (index == 0)
		die("bridge %s vanished", BRIDGE_NAME);
	put_addr(buf, index, ntohl(inet_addr(BRIDGE_ADDR)));
	nl_send(rtnl, buf, ((struct nlmsghdr *)buf)->nlmsg_len);
	nl_wait_ack(rtnl, seq, "bridge address");
	return index;
}

/* One veth whose host end joins the bridge, up, and whose peer lands in the namespace. */
static void put_veth(char *buf, unsigned i, int bridge, int nsfd)
{
	char name[IFNAMSIZ];
	snprintf(name, sizeof(name), VETH_PREFIX "%u", i);
	struct nlmsghdr *nlh = put_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MASTER, bridge);
	mnl_attr_put_u32(nlh, IFLA_GROUP, TOPO_GROUP);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	struct nlattr *peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/*
	 * The peer's own ifinfomsg, then its attributes. Its flags stay 0: the kernel refuses
	 * IFF_UP here (ENOTCONN, the pair is not linked yet when the peer would open), so eth0
	 * is set up from inside the namespace.
	 */
	struct ifinfomsg *pifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifi));
	memset(pifi, 0, sizeof(*pifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, PEER_NAME);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, nsfd);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
}

static void nft_topology(unsigned n)
{
	int fd = nl_socket(NETLINK_NETFILTER);
	struct nft_batch *b = nft_batch_new((size_t)n * 2 * 512 + 4096);
	nft_batch_table(b, TOPO_TABLE, 0);
	nft_batch_nat_chain(b, TOPO_TABLE, "pre", NF_INET_PRE_ROUTING, -100);
	nft_batch_nat_chain(b, TOPO_TABLE, "post", NF_INET_POST_ROUTING, 100);
	for (unsigned i = 0; i < n; i++) {
		nft_batch_masq_rule(b, TOPO_TABLE, "post", topo_addr(i));
		nft_batch_dnat_rule(b, TOPO_TABLE, "pre", DNAT_FIRST_PORT + i, topo_addr(i), DNAT_TO_PORT);
	}
	nft_batch_commit(b, fd);
	close(fd);
}

/*
 * FLOOR_IDLE_MS=M: sleep M ms before the clock starts, so the setup is timed from CPUs that
 * have been idle, as a setup in a long-running process is after a pause (bench/lib/wake.mjs
 * says why the bench does the opposite for its in-process contenders). Unset: no pause.
 */
static void idle_before_clock(void)
{
	const char *ms = getenv("FLOOR_IDLE_MS");
	if (ms != NULL && atoi(ms) > 0)
		usleep((useconds_t)atoi(ms) * 1000);
}

int cmd_topology_setup(unsigned n)
{
	idle_before_clock();
	double t0 = now_ms();
	netns_prepare_run_dir();
	int rtnl = nl_socket(NETLINK_ROUTE);
	int bridge = create_bridge(rtnl);
	int *nsfd = calloc(n, sizeof(int)), *nsrtnl = calloc(n, sizeof(int));
	char *buf = malloc((size_t)VETH_CHUNK * MSG_SPACE);
	/* Phase times, for bench/scripts/topology-phases.mjs (the contender reads `ms` only). */
	double namespaces_ms = 0, t_veths = now_ms();
	for (unsigned start = 0; start < n; start += VETH_CHUNK) {
		unsigned end = start + VETH_CHUNK < n ? start + VETH_CHUNK : n;
		size_t len = 0;
		for (unsigned i = start; i < end; i++) {
			char name[64];
			snprintf(name, sizeof(name), NS_PREFIX "%u", i);
			double t_ns = now_ms();
			netns_create(name, &nsfd[i], &nsrtnl[i]);
			namespaces_ms += now_ms() - t_ns;
			put_veth(buf + len, i, bridge, nsfd[i]);
			len += ((struct nlmsghdr *)(buf + len))->nlmsg_len;
		}
		nl_send(rtnl, buf, len);
		nl_wait_ack(rtnl, seq, "create veths");
	}
	double t_inside = now_ms();
	uint32_t gateway = ntohl(inet_addr(BRIDGE_ADDR));
	for (unsigned i = 0; i < n; i++) {
		size_t len = 0;
		put_link_up(buf + len, LO_IFINDEX);
		len += ((struct nlmsghdr *)(buf + len))->nlmsg_len;
		put_link_up(buf + len, PEER_IFINDEX);
		len += ((struct nlmsghdr *)(buf + len))->nlmsg_len;
		put_addr(buf + len, PEER_IFINDEX, topo_addr(i));
		len += ((struct nlmsghdr *)(buf + len))->nlmsg_len;
		put_default_route(buf + len, PEER_IFINDEX, gateway);
		len += ((struct nlmsghdr *)(buf + len))->nlmsg_len;
		nl_send(nsrtnl[i], buf, len);
		nl_wait_ack(nsrtnl[i], seq, "namespace setup");
		close(nsrtnl[i]);
		close(nsfd[i]);
	}
	double t_nft = now_ms();
	nft_topology(n);
	close(rtnl);
	double t_end = now_ms();
	printf("{\"ms\":%.3f,\"namespacesMs\":%.3f,\"vethsMs\":%.3f,\"insideMs\":%.3f,\"nftMs\":%.3f}\n", t_end - t0,
	       namespaces_ms, t_inside - t_veths - namespaces_ms, t_nft - t_inside, t_end - t_nft);
	return 0;
}

int cmd_topology_teardown(unsigned n)
{
	double t0 = now_ms();
	int nft = nl_socket(NETLINK_NETFILTER);
	struct nft_batch *b = nft_batch_new(4096);
	nft_batch_table(b, TOPO_TABLE, 1);
	nft_batch_commit(b, nft);
	close(nft);

	/* RTM_DELLINK with no ifindex and IFLA_GROUP deletes every link of the group at once. */
	int rtnl = nl_socket(NETLINK_ROUTE);
	char buf[MSG_SPACE];
	struct nlmsghdr *nlh = put_msg(buf, RTM_DELLINK, 0);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_u32(nlh, IFLA_GROUP, TOPO_GROUP);
	nl_send(rtnl, nlh, nlh->nlmsg_len);
	nl_wait_ack(rtnl, seq, "delete link group");
	close(rtnl);

	for (unsigned i = 0; i < n; i++) {
		char name[64];
		snprintf(name, sizeof(name), NS_PREFIX "%u", i);
		netns_delete(name);
	}
	printf("{\"ms\":%.3f,\"mode\":\"bulk\"}\n", now_ms() - t0);
	return 0;
}
