/* Netlink socket helpers: open with big buffers, send, collect acks. */
#include "floor.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* Large enough for the biggest nf_tables batch (10,000 rules) and a burst of acks. */
#define SOCKET_BUFFER (64 * 1024 * 1024)
#define RECV_BUFFER (256 * 1024)

double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "floor: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

uint32_t topo_addr(unsigned i)
{
	return (10u << 24) | (200u << 16) | (i + 2);
}

uint32_t nat_addr(unsigned i)
{
	return (10u << 24) | (201u << 16) | i;
}

int nl_socket(int protocol)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		die("socket(AF_NETLINK, %d): %s", protocol, strerror(errno));
	int one = 1, size = SOCKET_BUFFER;
	/* Acks without the echoed request: less to copy back. */
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		die("SO_SNDBUFFORCE/SO_RCVBUFFORCE: %s", strerror(errno));
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind: %s", strerror(errno));
	return fd;
}

void nl_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n = sendto(fd, buf, len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	if (n < 0 || (size_t)n != len)
		die("sendto (%zu bytes): %s", len, strerror(errno));
}

/* The extack message, if the kernel sent one, for the error text. */
static const char *extack_message(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t skip = sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		skip += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return "";
	const struct nlattr *attr;
	mnl_attr_for_each(attr, nlh, skip) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
			return mnl_attr_get_str(attr);
	}
	return "";
}

void nl_wait_ack(int fd, uint32_t last_seq, const char *what)
{
	static char buf[RECV_BUFFER];
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			die("%s: recv: %s", what, strerror(errno));
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int left = (int)n;
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
			if (err->error != 0)
				die("%s: request seq %u failed: %s %s", what, nlh->nlmsg_seq, strerror(-err->error), extack_message(nlh));
			if (nlh->nlmsg_seq == last_seq)
				return;
		}
	}
}
