/*
 * The floor: the same kernel operations as the other contenders, done as directly as the
 * kernel allows (libmnl for rtnetlink, libnftnl for nf_tables), so its time is what the
 * kernel itself costs. Every command prints one JSON line: {"ms": ..., ...}.
 */
#ifndef FLOOR_H
#define FLOOR_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>

/* Names and numbers shared with bench/lib/plan.mjs: keep the two in step. */
#define BRIDGE_NAME "bbr0"
#define BRIDGE_ADDR "10.200.0.1"
#define NS_PREFIX "bench-ns-"
#define VETH_PREFIX "bv"
#define PEER_NAME "eth0"
#define TOPO_PREFIXLEN 16
#define TOPO_GROUP 77
#define TOPO_TABLE "bench"
#define NAT_TABLE "benchnat"
#define DNAT_TO_PORT 8080
#define DNAT_FIRST_PORT 10000
#define NETNS_RUN_DIR "/run/netns"

/* In a fresh namespace lo is ifindex 1 and the first device moved in gets 2. */
#define LO_IFINDEX 1
#define PEER_IFINDEX 2

double now_ms(void);
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Address of namespace i (0-based) in the topology: 10.200.0.2 upwards. */
uint32_t topo_addr(unsigned i);
/* Address a DNAT rule i of the nf_tables workload points to: 10.201.0.0 upwards. */
uint32_t nat_addr(unsigned i);

/* Netlink sockets (nl.c). */
int nl_socket(int protocol);
void nl_send(int fd, const void *buf, size_t len);
/* Read replies until the ack for `last_seq`; die on any error reply. */
void nl_wait_ack(int fd, uint32_t last_seq, const char *what);

/* Namespaces (netns.c). All namespace switching happens on short-lived helper threads. */
void netns_prepare_run_dir(void);
/* Create /run/netns/NAME; returns an fd of the namespace and an rtnetlink socket inside it. */
void netns_create(const char *name, int *nsfd, int *rtnl_fd);
/* Open a netlink socket inside the namespace at `path`. */
int netns_socket(const char *path, int protocol);
void netns_delete(const char *name);

/* Commands. */
int cmd_topology_setup(unsigned n);
int cmd_topology_teardown(unsigned n);
int cmd_dump(const char *kind, const char *netns);
int cmd_nft_load(unsigned n);
int cmd_nft_list(void);
int cmd_request_loop(unsigned n);
int cmd_request_idle(unsigned n, unsigned pause_ms);

/* nf_tables building blocks (nft.c). */
struct nft_batch;
struct nft_batch *nft_batch_new(size_t capacity);
void nft_batch_table(struct nft_batch *b, const char *table, int del);
void nft_batch_nat_chain(struct nft_batch *b, const char *table, const char *chain, int hook, int prio);
void nft_batch_dnat_rule(struct nft_batch *b, const char *table, const char *chain, uint16_t port, uint32_t to_addr, uint16_t to_port);
void nft_batch_masq_rule(struct nft_batch *b, const char *table, const char *chain, uint32_t saddr);
/* Close the batch, send it in one datagram, wait for the last command's ack. */
void nft_batch_commit(struct nft_batch *b, int fd);

#endif
