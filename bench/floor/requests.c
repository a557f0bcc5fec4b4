/*
 * The cost of one request at the least: N requests one after the other, each waiting for its
 * ack before the next is sent (RTM_NEWLINK setting lo up, by ifindex, which changes nothing
 * after the first). What a library adds per request shows against it (bench/scripts/
 * request-overhead.mjs).
 */
#include "floor.h"

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <time.h>

/* One request: lo up, by ifindex, sent and its ack awaited. */
static void set_lo_up(int fd, char *buf, unsigned seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = LO_IFINDEX;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	nl_send(fd, nlh, nlh->nlmsg_len);
	nl_wait_ack(fd, seq, "set lo up");
}

int cmd_request_loop(unsigned n)
{
	int fd = nl_socket(NETLINK_ROUTE);
	char buf[MNL_SOCKET_BUFFER_SIZE];
	double t0 = now_ms();
	for (unsigned i = 1; i <= n; i++)
		set_lo_up(fd, buf, i);
	double ms = now_ms() - t0;
	printf("{\"ms\":%.3f,\"requests\":%u}\n", ms, n);
	return 0;
}

/*
 * The same request N times, each timed on its own, each after PAUSE_MS idle (0: none): what
 * an idle pause does to one request's cost on this machine (bench/scripts/idle-cost.mjs).
 */
int cmd_request_idle(unsigned n, unsigned pause_ms)
{
	int fd = nl_socket(NETLINK_ROUTE);
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct timespec pause = { pause_ms / 1000, (long)(pause_ms % 1000) * 1000000L };
	printf("{\"us\":[");
	for (unsigned i = 1; i <= n; i++) {
		if (pause_ms)
			nanosleep(&pause, NULL);
		double t0 = now_ms();
		set_lo_up(fd, buf, i);
		printf("%s%.2f", i > 1 ? "," : "", (now_ms() - t0) * 1000);
	}
	printf("]}\n");
	return 0;
}
