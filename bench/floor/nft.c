/*
 * nf_tables through libnftnl: objects are built with libnftnl and serialised into one
 * contiguous batch (BEGIN, commands, END) sent in a single datagram, as nft does. Only the
 * last command asks for an ack; errors are always reported, and they arrive before that ack.
 */
#include "floor.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

struct nft_batch {
	char *buf;
	size_t len, cap;
	uint32_t seq;
	struct nlmsghdr *last;
};

/* Room for one command message. */
#define MSG_ROOM 2048

struct nft_batch *nft_batch_new(size_t capacity)
{
	struct nft_batch *b = calloc(1, sizeof(*b));
	b->cap = capacity + 2 * MSG_ROOM;
	b->buf = malloc(b->cap);
	b->seq = 1;
	nftnl_batch_begin(b->buf, b->seq++);
	b->len = ((struct nlmsghdr *)b->buf)->nlmsg_len;
	return b;
}

static struct nlmsghdr *batch_msg(struct nft_batch *b, uint16_t type, uint16_t flags)
{
	if (b->len + MSG_ROOM > b->cap)
		die("nf_tables batch buffer too small");
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(b->buf + b->len, type, NFPROTO_IPV4, flags, b->seq++);
	b->last = nlh;
	return nlh;
}

static void batch_done(struct nft_batch *b, struct nlmsghdr *nlh)
{
	b->len += nlh->nlmsg_len;
}

void nft_batch_table(struct nft_batch *b, const char *table, int del)
{
	struct nftnl_table *t = nftnl_table_alloc();
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, table);
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_IPV4);
	struct nlmsghdr *nlh = del ? batch_msg(b, NFT_MSG_DELTABLE, 0) : batch_msg(b, NFT_MSG_NEWTABLE, NLM_F_CREATE);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	batch_done(b, nlh);
}

void nft_batch_nat_chain(struct nft_batch *b, const char *table, const char *chain, int hook, int prio)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, chain);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, NFPROTO_IPV4);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "nat");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hook);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
	struct nlmsghdr *nlh = batch_msg(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	batch_done(b, nlh);
}

static struct nftnl_rule *new_rule(const char *table, const char *chain)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_IPV4);
	return r;
}

static void add_cmp_eq(struct nftnl_rule *r, const void *data, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	nftnl_rule_add_expr(r, e);
}

static void add_payload(struct nftnl_rule *r, uint32_t base, uint32_t offset, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_rule_add_expr(r, e);
}

static void add_immediate(struct nftnl_rule *r, uint32_t reg, const void *data, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
	nftnl_rule_add_expr(r, e);
}

static void batch_rule(struct nft_batch *b, struct nftnl_rule *r)
{
	struct nlmsghdr *nlh = batch_msg(b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	batch_done(b, nlh);
}

/* tcp dport PORT dnat to ADDR:TO_PORT — the expressions nft generates for it. */
void nft_batch_dnat_rule(struct nft_batch *b, const char *table, const char *chain, uint16_t port, uint32_t to_addr, uint16_t to_port)
{
	struct nftnl_rule *r = new_rule(table, chain);
	struct nftnl_expr *meta = nftnl_expr_alloc("meta");
	nftnl_expr_set_u32(meta, NFTNL_EXPR_META_KEY, NFT_META_L4PROTO);
	nftnl_expr_set_u32(meta, NFTNL_EXPR_META_DREG, NFT_REG_1);
	nftnl_rule_add_expr(r, meta);
	uint8_t tcp = IPPROTO_TCP;
	add_cmp_eq(r, &tcp, sizeof(tcp));
	/* The destination port is at offset 2 of the TCP header. */
	add_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, sizeof(uint16_t));
	uint16_t port_be = htons(port);
	add_cmp_eq(r, &port_be, sizeof(port_be));
	uint32_t addr_be = htonl(to_addr);
	add_immediate(r, NFT_REG_1, &addr_be, sizeof(addr_be));
	uint16_t to_port_be = htons(to_port);
	add_immediate(r, NFT_REG_2, &to_port_be, sizeof(to_port_be));
	struct nftnl_expr *nat = nftnl_expr_alloc("nat");
	nftnl_expr_set_u32(nat, NFTNL_EXPR_NAT_TYPE, NFT_NAT_DNAT);
	nftnl_expr_set_u32(nat, NFTNL_EXPR_NAT_FAMILY, NFPROTO_IPV4);
	nftnl_expr_set_u32(nat, NFTNL_EXPR_NAT_REG_ADDR_MIN, NFT_REG_1);
	nftnl_expr_set_u32(nat, NFTNL_EXPR_NAT_REG_PROTO_MIN, NFT_REG_2);
	nftnl_expr_set_u32(nat, NFTNL_EXPR_NAT_FLAGS, NF_NAT_RANGE_PROTO_SPECIFIED);
	nftnl_rule_add_expr(r, nat);
	batch_rule(b, r);
}

/* ip saddr ADDR masquerade */
void nft_batch_masq_rule(struct nft_batch *b, const char *table, const char *chain, uint32_t saddr)
{
	struct nftnl_rule *r = new_rule(table, chain);
	/* The IPv4 source address is at offset 12 of the network header. */
	add_payload(r, NFT_PAYLOAD_NETWORK_HEADER, 12, sizeof(uint32_t));
	uint32_t saddr_be = htonl(saddr);
	add_cmp_eq(r, &saddr_be, sizeof(saddr_be));
	nftnl_rule_add_expr(r, nftnl_expr_alloc("masq"));
	batch_rule(b, r);
}

void nft_batch_commit(struct nft_batch *b, int fd)
{
	if (!b->last)
		die("empty nf_tables batch");
	b->last->nlmsg_flags |= NLM_F_ACK;
	uint32_t last_seq = b->last->nlmsg_seq;
	nftnl_batch_end(b->buf + b->len, b->seq++);
	b->len += ((struct nlmsghdr *)(b->buf + b->len))->nlmsg_len;
	nl_send(fd, b->buf, b->len);
	nl_wait_ack(fd, last_seq, "nf_tables batch");
	free(b->buf);
	free(b);
}
