/*
 * netns-ts-cni (native client): the CNI plugin executable a runtime starts for every ADD and
 * DEL, when a resident netns-ts-cni daemon is running (dist/cni/daemon.js).
 *
 * A runtime starts the plugin once per container and call, and Node's own start-up is ~0.1 s:
 * this client starts in about a millisecond, hands the call (its whole environment, which
 * carries the CNI_* variables, and the configuration on stdin) to the daemon over a unix
 * socket, and prints what the daemon answers, with its exit status. The daemon runs the same
 * plugin code (runPlugin) as `node dist/cni/main.js` does.
 *
 * Without a daemon (no socket, or nobody listening) it becomes that Node program instead:
 * exec in place, before stdin is read, so the call behaves exactly as without this client.
 *
 * Wire format (integers are u32, little-endian):
 *   request:  "NTC1", count, count × (length, "NAME=VALUE"), length, stdin bytes
 *   response: exit status, length, stdout bytes
 *
 * Environment: NETNS_TS_CNI_SOCKET (default /run/netns-ts/cni.sock), NETNS_TS_NODE (the Node
 * binary for the fallback; default `node` on PATH). Exit 1 with a CNI error on stdout when the
 * daemon breaks off mid-call (the runtime then retries or reports it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/netns-ts/cni.sock"
#define MAGIC "NTC1"
#define EXIT_FAILURE_CNI 1
/* CNI error code 11: "try again later" (the call may be retried). */
#define CNI_ERR_TRY_AGAIN 11
/* Where the Node entry point is, relative to this executable (build/Release/). */
#define MAIN_FROM_EXE "/../../dist/cni/main.js"

extern char **environ;

/* Print a CNI error result on stdout (the runtime reads it there) and exit 1. */
static void fail(const char *msg)
{
	int err = errno;
	printf("{\"cniVersion\":\"1.0.0\",\"code\":%d,\"msg\":\"%s\",\"details\":\"%s\"}\n",
	       CNI_ERR_TRY_AGAIN, msg, err != 0 ? strerror(err) : "");
	exit(EXIT_FAILURE_CNI);
}

/* Become `node dist/cni/main.js` (same argv tail, environment and stdin). */
static void exec_node(char **argv)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		fail("netns-ts-cni: cannot find its own path");
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash == NULL)
		fail("netns-ts-cni: cannot find its own directory");
	*slash = '\0';
	char main_js[PATH_MAX];
	if (snprintf(main_js, sizeof(main_js), "%s%s", exe, MAIN_FROM_EXE) >= (int)sizeof(main_js))
		fail("netns-ts-cni: path too long");
	const char *node = getenv("NETNS_TS_NODE");
	if (node == NULL || node[0] == '\0')
		node = "node";
	int argc = 0;
	while (argv[argc] != NULL)
		argc++;
	char **args = calloc((size_t)argc + 2, sizeof(char *));
	if (args == NULL)
		fail("netns-ts-cni: out of memory");
	args[0] = (char *)node;
	args[1] = main_js;
	for (int i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	execvp(node, args);
	fail("netns-ts-cni: cannot start node for the plugin (no daemon is running)");
}

static void write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fail("netns-ts-cni: the daemon stopped reading");
		p += n;
		len -= (size_t)n;
	}
}

static void write_u32(int fd, uint32_t v)
{
	unsigned char b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };
	write_all(fd, b, sizeof(b));
}

/* Read exactly len bytes; returns 0 at a clean end of stream before any byte. */
static int read_all(int fd, void *data, size_t len)
{
	char *p = data;
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail("netns-ts-cni: reading the daemon's answer failed");
		if (n == 0) {
			if (got == 0)
				return 0;
			errno = 0;
			fail("netns-ts-cni: the daemon's answer was cut short");
		}
		got += (size_t)n;
	}
	return 1;
}

static uint32_t read_u32(int fd)
{
	unsigned char b[4];
	if (!read_all(fd, b, sizeof(b))) {
		errno = 0;
		fail("netns-ts-cni: the daemon closed the connection without answering");
	}
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* All of stdin (the network configuration), or an empty buffer when stdin is closed. */
static char *read_stdin(size_t *len)
{
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap);
	if (buf == NULL)
		fail("netns-ts-cni: out of memory");
	for (;;) {
		if (used == cap) {
			cap *= 2;
			char *bigger = realloc(buf, cap);
			if (bigger == NULL)
				fail("netns-ts-cni: out of memory");
			buf = bigger;
		}
		ssize_t n = read(STDIN_FILENO, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EBADF)
			break;
		if (n < 0)
			fail("netns-ts-cni: cannot read the configuration from stdin");
		if (n == 0)
			break;
		used += (size_t)n;
	}
	*len = used;
	return buf;
}

int main(int argc, char **argv)
{
	(void)argc;
	/* A daemon that goes away mid-call is an error result, not a silent SIGPIPE death. */
	signal(SIGPIPE, SIG_IGN);
	const char *path = getenv("NETNS_TS_CNI_SOCKET");
	if (path == NULL || path[0] == '\0')
		path = DEFAULT_SOCKET;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr.sun_path))
		exec_node(argv);
	strcpy(addr.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fail("netns-ts-cni: socket");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		/* No daemon: run the plugin in Node, as if this client were not there. */
		close(fd);
		exec_node(argv);
	}

	size_t stdin_len;
	char *stdin_buf = read_stdin(&stdin_len);
	uint32_t count = 0;
	for (char **e = environ; *e != NULL; e++)
		count++;
	write_all(fd, MAGIC, 4);
	write_u32(fd, count);
	for (char **e = environ; *e != NULL; e++) {
		size_t len = strlen(*e);
		write_u32(fd, (uint32_t)len);
		write_all(fd, *e, len);
	}
	write_u32(fd, (uint32_t)stdin_len);
	write_all(fd, stdin_buf, stdin_len);
	shutdown(fd, SHUT_WR);

	uint32_t status = read_u32(fd);
	uint32_t out_len = read_u32(fd);
	char *out = malloc(out_len > 0 ? out_len : 1);
	if (out == NULL)
		fail("netns-ts-cni: out of memory");
	if (out_len > 0 && !read_all(fd, out, out_len)) {
		errno = 0;
		fail("netns-ts-cni: the daemon's answer was cut short");
	}
	write_all(STDOUT_FILENO, out, out_len);
	return (int)(status & 0xff);
}
