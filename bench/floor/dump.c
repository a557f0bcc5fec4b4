/*
 * Dumps with no decoding beyond walking attributes: the "raw kernel time" of workloads 2
 * and 3. Each message's top-level attributes are walked (and, for rules, every expression's
 * nested attributes) and counted, so the whole reply is read but nothing is interpreted.
 */
#include "floor.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Larger than any dump datagram the kernel builds. */
#define DUMP_BUFFER (1024 * 1024)

struct walk {
	unsigned messages, attributes;
};

static int count_attr(const struct nlattr *attr, void *data)
{
	(void)attr;
	((struct walk *)data)->attributes++;
	return MNL_CB_OK;
}

/* For rules: also walk each expression (NFTA_RULE_EXPRESSIONS > NFTA_LIST_ELEM > NFTA_EXPR_*). */
static int count_rule_attr(const struct nlattr *attr, void *data)
{
	struct walk *w = data;
	w->attributes++;
	if (mnl_attr_get_type(attr) != NFTA_RULE_EXPRESSIONS)
		return MNL_CB_OK;
	const struct nlattr *elem;
	mnl_attr_for_each_nested(elem, attr) {
		w->attributes++;
		mnl_attr_parse_nested(elem, count_attr, w);
	}
	return MNL_CB_OK;
}

/* Send a dump request, read until NLMSG_DONE, walk every message. */
static struct walk run_dump(int fd, const struct nlmsghdr *req, size_t header_len, mnl_attr_cb_t cb)
{
	static char buf[DUMP_BUFFER];
	struct walk w = { 0, 0 };
	nl_send(fd, req, req->nlmsg_len);
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			die("dump recv: %s", strerror(errno));
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int left = (int)n;
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_type == NLMSG_DONE)
				return w;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
				die("dump failed: %s", strerror(-err->error));
			}
			w.messages++;
			mnl_attr_parse(nlh, header_len, cb, &w);
		}
	}
}

static struct nlmsghdr *dump_request(char *buf, uint16_t type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	return nlh;
}

int cmd_dump(const char *kind, const char *netns)
{
	char path[256], buf[256];
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, netns);
	double t0 = now_ms();
	int fd = netns_socket(path, NETLINK_ROUTE);
	struct nlmsghdr *nlh;
	size_t header_len;
	if (strcmp(kind, "links") == 0) {
		nlh = dump_request(buf, RTM_GETLINK);
		header_len = sizeof(struct ifinfomsg);
		mnl_nlmsg_put_extra_header(nlh, header_len);
	} else if (strcmp(kind, "addresses") == 0) {
		nlh = dump_request(buf, RTM_GETADDR);
		header_len = sizeof(struct ifaddrmsg);
		mnl_nlmsg_put_extra_header(nlh, header_len);
	} else if (strcmp(kind, "routes") == 0) {
		nlh = dump_request(buf, RTM_GETROUTE);
		header_len = sizeof(struct rtmsg);
		struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, header_len);
		rtm->rtm_family = AF_INET;
	} else if (strcmp(kind, "neighbours") == 0) {
		nlh = dump_request(buf, RTM_GETNEIGH);
		header_len = sizeof(struct ndmsg);
		mnl_nlmsg_put_extra_header(nlh, header_len);
	} else {
		die("unknown dump kind %s (links, addresses, routes, neighbours)", kind);
	}
	struct walk w = run_dump(fd, nlh, header_len, count_attr);
	close(fd);
	printf("{\"ms\":%.3f,\"count\":%u,\"attributes\":%u}\n", now_ms() - t0, w.messages, w.attributes);
	return 0;
}

int cmd_nft_load(unsigned n)
{
	double t0 = now_ms();
	int fd = nl_socket(NETLINK_NETFILTER);
	struct nft_batch *b = nft_batch_new((size_t)n * 512 + 4096);
	nft_batch_table(b, NAT_TABLE, 0);
	nft_batch_nat_chain(b, NAT_TABLE, "pre", NF_INET_PRE_ROUTING, -100);
	for (unsigned i = 0; i < n; i++)
		nft_batch_dnat_rule(b, NAT_TABLE, "pre", DNAT_FIRST_PORT + i, nat_addr(i), DNAT_TO_PORT);
	nft_batch_commit(b, fd);
	close(fd);
	printf("{\"ms\":%.3f}\n", now_ms() - t0);
	return 0;
}

int cmd_nft_list(void)
{
	char buf[256];
	double t0 = now_ms();
	int fd = nl_socket(NETLINK_NETFILTER);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETRULE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	struct nfgenmsg *nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = NFPROTO_IPV4;
	nfg->version = NFNETLINK_V0;
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, NAT_TABLE);
	struct walk w = run_dump(fd, nlh, sizeof(struct nfgenmsg), count_rule_attr);
	close(fd);
	printf("{\"ms\":%.3f,\"count\":%u,\"attributes\":%u}\n", now_ms() - t0, w.messages, w.attributes);
	return 0;
}
