/*
 * AF_NETLINK datagram sockets.
 *
 * Sockets are always non-blocking and close-on-exec: the JS thread must never
 * sleep in recv(), and a child process must never inherit a netlink socket
 * (it would keep the port id and its multicast groups alive).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "netns_native.h"

/* Largest buffer the kernel remembers for sizing dump datagrams: netlink_dump
 * allocates max(NLMSG_GOODSIZE, largest recvmsg() length seen), capped at
 * SKB_WITH_OVERHEAD(32768). See socket_recv_exact() for why this matters. */
#define DUMP_HINT_BYTES 32768

/* Most sends are one header plus one payload; avoid malloc for those. */
#define STACK_IOVECS 16

struct open_args {
	int protocol;
	int fd;
};

int netlink_socket(int protocol, const char **syscall)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		*syscall = "socket";
	return fd;
}

static int open_step(void *opaque, const char **syscall)
{
	struct open_args *a = opaque;
	a->fd = netlink_socket(a->protocol, syscall);
	return a->fd < 0 ? errno : 0;
}

/* socketOpen(protocol, netnsFd): the socket belongs, for its whole life, to
 * the namespace of the thread that created it. */
napi_value js_socket_open(napi_env env, napi_callback_info info)
{
	napi_value argv[2];
	int32_t protocol, netns_fd;
	struct open_args a = { 0, -1 };
	const char *syscall = NULL;
	int err;

	if (!get_args(env, info, 2, argv) ||
	    !arg_int32(env, argv[0], "protocol must be an integer", &protocol) ||
	    !arg_int32(env, argv[1], "netnsFd must be an integer", &netns_fd))
		return NULL;
	a.protocol = protocol;
	if (netns_fd < 0) {
		err = open_step(&a, &syscall);
	} else {
		err = run_in_netns_thread(netns_fd, open_step, &a, &syscall);
		/* If the thread failed after socket() there is nothing to leak:
		 * open_step is the last thing it does. */
	}
	if (err != 0) {
		throw_errno(env, err, syscall);
		return NULL;
	}
	return make_int(env, a.fd);
}

/* socketBind(fd, groups): nl_pid 0 lets the kernel pick a unique port id, so
 * any number of sockets (and processes) never collide. */
napi_value js_socket_bind(napi_env env, napi_callback_info info)
{
	napi_value argv[2];
	struct sockaddr_nl sa;
	socklen_t len = sizeof(sa);
	uint32_t groups;
	int fd;

	if (!get_args(env, info, 2, argv) || !arg_fd(env, argv[0], &fd) ||
	    !arg_uint32(env, argv[1], "groups must be a 32-bit unsigned integer", &groups))
		return NULL;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = groups;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		throw_errno(env, errno, "bind");
		return NULL;
	}
	if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		throw_errno(env, errno, "getsockname");
		return NULL;
	}
	return make_int(env, sa.nl_pid);
}

napi_value js_setsockopt_int(napi_env env, napi_callback_info info)
{
	napi_value argv[4];
	int32_t level, optname, value;
	int fd;

	if (!get_args(env, info, 4, argv) || !arg_fd(env, argv[0], &fd) ||
	    !arg_int32(env, argv[1], "level must be an integer", &level) ||
	    !arg_int32(env, argv[2], "optname must be an integer", &optname) ||
	    !arg_int32(env, argv[3], "value must be a 32-bit integer", &value))
		return NULL;
	if (setsockopt(fd, level, optname, &value, sizeof(value)) != 0) {
		throw_errno(env, errno, "setsockopt");
		return NULL;
	}
	return make_undefined(env);
}

napi_value js_getsockopt_int(napi_env env, napi_callback_info info)
{
	napi_value argv[3];
	int32_t level, optname;
	int fd, value = 0;
	socklen_t len = sizeof(value);

	if (!get_args(env, info, 3, argv) || !arg_fd(env, argv[0], &fd) ||
	    !arg_int32(env, argv[1], "level must be an integer", &level) ||
	    !arg_int32(env, argv[2], "optname must be an integer", &optname))
		return NULL;
	if (getsockopt(fd, level, optname, &value, &len) != 0) {
		throw_errno(env, errno, "getsockopt");
		return NULL;
	}
	return make_int(env, value);
}

/* socketSend(fd, buffers): one sendmsg, one datagram, whatever the number of
 * pieces. This lets the core send header and payload (or a whole nf_tables
 * batch) without concatenating them first. */
napi_value js_socket_send(napi_env env, napi_callback_info info)
{
	napi_value argv[2], element;
	struct iovec stack_iov[STACK_IOVECS], *iov = stack_iov;
	struct sockaddr_nl kernel;
	struct msghdr msg;
	uint32_t count, i;
	bool is_array;
	ssize_t sent;
	int fd;

	if (!get_args(env, info, 2, argv) || !arg_fd(env, argv[0], &fd))
		return NULL;
	if (napi_is_array(env, argv[1], &is_array) != napi_ok || !is_array ||
	    napi_get_array_length(env, argv[1], &count) != napi_ok) {
		throw_type(env, "buffers must be an array of Uint8Array");
		return NULL;
	}
	if (count > IOV_MAX) {
		throw_errno(env, EMSGSIZE, "sendmsg");
		return NULL;
	}
	if (count > STACK_IOVECS) {
		iov = calloc(count, sizeof(*iov));
		if (iov == NULL) {
			throw_errno(env, ENOMEM, "sendmsg");
			return NULL;
		}
	}
	for (i = 0; i < count; i++) {
		napi_typedarray_type type;
		bool is_typed = false;
		size_t length;
		void *data;
		if (napi_get_element(env, argv[1], i, &element) != napi_ok ||
		    napi_is_typedarray(env, element, &is_typed) != napi_ok || !is_typed ||
		    napi_get_typedarray_info(env, element, &type, &length, &data, NULL, NULL) !=
			    napi_ok ||
		    (type != napi_uint8_array && type != napi_uint8_clamped_array)) {
			if (iov != stack_iov)
				free(iov);
			throw_type(env, "buffers must be an array of Uint8Array");
			return NULL;
		}
		iov[i].iov_base = data;
		iov[i].iov_len = length;
	}

	memset(&kernel, 0, sizeof(kernel));
	kernel.nl_family = AF_NETLINK; /* nl_pid 0: the kernel */
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &kernel;
	msg.msg_namelen = sizeof(kernel);
	msg.msg_iov = iov;
	msg.msg_iovlen = count;
	do {
		sent = sendmsg(fd, &msg, 0);
	} while (sent < 0 && errno == EINTR);
	if (iov != stack_iov)
		free(iov);
	if (sent < 0) {
		throw_errno(env, errno, "sendmsg");
		return NULL;
	}
	return make_int(env, sent);
}

/*
 * Netlink datagrams have no fixed upper size (a dump datagram, an nf_tables
 * ruleset chunk), and a datagram read into a short buffer is truncated and
 * gone. So: peek with MSG_TRUNC, which makes netlink return the real length
 * without copying anything, then read into a buffer of exactly that size.
 * Both steps are shared with the read-ahead thread (read-ahead.c).
 */
ssize_t datagram_peek_size(int fd)
{
	ssize_t size;
	do {
		size = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
	} while (size < 0 && errno == EINTR);
	return size;
}

/*
 * The second read passes an extra, never-filled iovec so that the total
 * length offered is at least DUMP_HINT_BYTES: the kernel sizes the next dump
 * datagram from the largest length a reader has offered (as it does for
 * iproute2, which always reads with a 32 KiB buffer). Offering only the exact
 * size would pin dumps at one page per datagram, several times more
 * syscalls for a large dump. The datagram is the same skb we peeked, so the
 * tail is never written; if more data did arrive it is reported as EMSGSIZE.
 */
int datagram_read(int fd, void *data, size_t size, struct datagram_origin *origin)
{
	unsigned char tail[DUMP_HINT_BYTES];
	union {
		struct cmsghdr align;
		unsigned char buf[CMSG_SPACE(sizeof(int))];
	} control;
	struct sockaddr_nl from;
	struct iovec iov[2];
	struct msghdr msg;
	struct cmsghdr *cmsg;
	ssize_t got;

	iov[0].iov_base = data;
	iov[0].iov_len = size;
	iov[1].iov_base = tail;
	iov[1].iov_len = size < DUMP_HINT_BYTES ? DUMP_HINT_BYTES - size : 0;
	memset(&from, 0, sizeof(from));
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	do {
		got = recvmsg(fd, &msg, 0);
	} while (got < 0 && errno == EINTR);
	if (got < 0)
		return errno;
	if ((msg.msg_flags & MSG_TRUNC) || (size_t)got != size)
		return EMSGSIZE;

	origin->pid = from.nl_pid;
	origin->groups = from.nl_groups;
	origin->has_nsid = false;
	/* With NETLINK_LISTEN_ALL_NSID the kernel says which peer namespace an
	 * event came from; without it such events are indistinguishable. */
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level == SOL_NETLINK && cmsg->cmsg_type == NETLINK_LISTEN_ALL_NSID &&
		    cmsg->cmsg_len >= CMSG_LEN(sizeof(int))) {
			memcpy(&origin->nsid, CMSG_DATA(cmsg), sizeof(int));
			origin->has_nsid = true;
		}
	}
	return 0;
}

static bool set_uint_property(napi_env env, napi_value obj, const char *name, uint32_t v)
{
	napi_value value;
	return napi_create_uint32(env, v, &value) == napi_ok &&
	       napi_set_named_property(env, obj, name, value) == napi_ok;
}

napi_value datagram_object(napi_env env, napi_value buffer, const struct datagram_origin *origin)
{
	napi_value result, nsid;
	if (napi_create_object(env, &result) != napi_ok ||
	    napi_set_named_property(env, result, "data", buffer) != napi_ok ||
	    !set_uint_property(env, result, "pid", origin->pid) ||
	    !set_uint_property(env, result, "groups", origin->groups))
		return NULL;
	if (origin->has_nsid &&
	    (napi_create_int32(env, origin->nsid, &nsid) != napi_ok ||
	     napi_set_named_property(env, result, "nsid", nsid) != napi_ok))
		return NULL;
	return result;
}

/* socketRecv(fd) -> { data, pid, groups, nsid? } | null: the next datagram,
 * read into a Buffer of its size (no copy), or null when none is queued. */
napi_value js_socket_recv(napi_env env, napi_callback_info info)
{
	napi_value argv[1], buffer, result;
	struct datagram_origin origin;
	void *data = NULL;
	ssize_t size;
	int fd, err;

	if (!get_args(env, info, 1, argv) || !arg_fd(env, argv[0], &fd))
		return NULL;

	size = datagram_peek_size(fd);
	if (size < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			napi_get_null(env, &result);
			return result;
		}
		/* ENOBUFS (events dropped) lands here; reading it clears it. */
		throw_errno(env, errno, "recv");
		return NULL;
	}
	if (napi_create_buffer(env, (size_t)size, &data, &buffer) != napi_ok)
		return NULL;
	err = datagram_read(fd, data, (size_t)size, &origin);
	if (err != 0) {
		throw_errno(env, err, "recvmsg");
		return NULL;
	}
	return datagram_object(env, buffer, &origin);
}

/* socketClose(fd): the poll watcher must let go of the fd before it closes,
 * or epoll would keep watching a number that may be reused. */
napi_value js_socket_close(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	int fd;

	if (!get_args(env, info, 1, argv) || !arg_fd(env, argv[0], &fd))
		return NULL;
	poll_release_fd(env, fd);
	/* Linux releases the fd even when close() reports EINTR: never retry. */
	if (close(fd) != 0 && errno != EINTR) {
		throw_errno(env, errno, "close");
		return NULL;
	}
	return make_undefined(env);
}

/* socketNetns(fd) -> a new fd (O_CLOEXEC) of the network namespace the socket
 * lives in (SIOCGSKNS), so work that must happen in "the connection's
 * namespace" (a tun device, made by ioctl) can join it on a namespace thread. */
napi_value js_socket_netns(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	int fd, nsfd;

	if (!get_args(env, info, 1, argv) || !arg_fd(env, argv[0], &fd))
		return NULL;
	nsfd = ioctl(fd, SIOCGSKNS);
	if (nsfd < 0) {
		throw_errno(env, errno, "ioctl SIOCGSKNS");
		return NULL;
	}
	return make_int(env, nsfd);
}

/*
 * socketIfindex(fd, name) -> the ifindex of interface `name` in the socket's
 * network namespace, or 0 if it has no interface by that (primary) name.
 *
 * ioctl(SIOCGIFINDEX) on the netlink socket itself: the kernel hands socket
 * ioctls a protocol does not know to dev_ioctl() in the socket's namespace,
 * which looks the name up under RCU. This is what if_nametoindex() (and so
 * iproute2's ll_name_to_index) does, and costs one syscall instead of an
 * RTM_GETLINK round trip that builds a whole link message. The kernel's name
 * table holds altnames too, so they resolve as well. A name too long for
 * struct ifreq, or no such interface, answers 0: the caller then asks over
 * netlink, which reports the error as for any request.
 */
napi_value js_socket_ifindex(napi_env env, napi_callback_info info)
{
	napi_value argv[2];
	struct ifreq ifr;
	char *name = NULL;
	int fd, err;

	if (!get_args(env, info, 2, argv) || !arg_fd(env, argv[0], &fd) ||
	    !arg_string(env, argv[1], "name must be a string", &name))
		return NULL;
	if (strlen(name) >= IFNAMSIZ) {
		free(name);
		return make_int(env, 0);
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strlen(name));
	free(name);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) != 0) {
		err = errno;
		if (err == ENODEV)
			return make_int(env, 0);
		throw_errno(env, err, "ioctl SIOCGIFINDEX");
		return NULL;
	}
	return make_int(env, ifr.ifr_ifindex);
}
