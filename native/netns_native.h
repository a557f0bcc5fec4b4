/*
 * netns_native: the only native code of netns-ts.
 *
 * It knows about AF_NETLINK sockets, libuv readiness and namespace syscalls,
 * and nothing about netlink messages: every byte it sends or receives is
 * built and parsed in TypeScript. Each concept lives in its own file:
 *
 *   errors.c   errno -> JS Error with .code/.errno/.syscall
 *   args.c     small argument readers shared by the exported functions
 *   nsthread.c run one step on a short-lived pthread inside a namespace
 *   socket.c   socket/bind/sockopt/send/recv/close
 *   poll.c     uv_poll_t readiness per socket fd
 *   read-ahead.c  a socket drained on a short-lived pthread while JS works
 *   netns.c    named namespaces (iproute2 layout)
 *   sysctl.c   sysctl files inside a namespace
 *   tun.c      tun/tap devices (TUNSETIFF: the one link kind made outside netlink)
 *   addon.c    module registration
 */
#ifndef NETNS_NATIVE_H
#define NETNS_NATIVE_H

/* binding.gyp defines it too; this keeps editors and lone builds in step. */
#ifndef NAPI_VERSION
#define NAPI_VERSION 8
#endif
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- errors.c ---------------------------------------------------------- */

/* Throw `Error("syscall: ECODE (description)")` with .code, .errno, .syscall. */
void throw_errno(napi_env env, int err, const char *syscall);
/* The same error as a value (NULL if it cannot be made). */
napi_value errno_error(napi_env env, int err, const char *syscall);
/* Throw a TypeError for bad arguments (a programming error on the JS side). */
void throw_type(napi_env env, const char *message);

/* ---- args.c ------------------------------------------------------------ */

/* Each reader throws and returns false when the argument has the wrong type. */
bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv);
bool arg_int32(napi_env env, napi_value value, const char *what, int32_t *out);
bool arg_uint32(napi_env env, napi_value value, const char *what, uint32_t *out);
bool arg_fd(napi_env env, napi_value value, int *out);
bool arg_function(napi_env env, napi_value value, const char *what);
/* Copies a JS string into a malloc'ed NUL-terminated buffer (caller frees);
 * rejects embedded NULs, which would silently truncate a path. */
bool arg_string(napi_env env, napi_value value, const char *what, char **out);
napi_value make_int(napi_env env, int64_t v);
napi_value make_undefined(napi_env env);

/* ---- nsthread.c -------------------------------------------------------- */

/* A step that runs on the helper thread. Returns 0, or an errno value and
 * sets *syscall to the name of the call that failed. */
typedef int (*ns_step_fn)(void *arg, const char **syscall);

/* Run `step` on a fresh pthread that first joins the network namespace
 * `netns_fd` (skipped when netns_fd < 0), then exits. The calling thread's
 * namespaces never change. Returns 0 or errno (and *syscall). */
int run_in_netns_thread(int netns_fd, ns_step_fn step, void *arg, const char **syscall);

/* A non-blocking, close-on-exec AF_NETLINK socket of `protocol` in the calling
 * thread's network namespace. Returns the fd, or -1 with errno (and *syscall). */
int netlink_socket(int protocol, const char **syscall);

/* ---- socket.c: receiving, shared with read-ahead.c --------------------- */

/* Who sent a datagram: port id, group mask, peer namespace id (if reported). */
struct datagram_origin {
	uint32_t pid;
	uint32_t groups;
	int32_t nsid;
	bool has_nsid;
};
/* The size of the next queued datagram (MSG_PEEK | MSG_TRUNC), or -1 with errno. */
ssize_t datagram_peek_size(int fd);
/* Read the datagram just peeked into data[size] (recvmsg). 0, or an errno. */
int datagram_read(int fd, void *data, size_t size, struct datagram_origin *origin);
/* { data: buffer, pid, groups, nsid? } as socketRecv returns it (NULL on failure). */
napi_value datagram_object(napi_env env, napi_value buffer, const struct datagram_origin *origin);

/* ---- poll.c: what read-ahead needs of a watcher ------------------------- */

struct read_ahead;
/* Stop watching fd while `owner` reads it; false when fd is not watched or
 * another read-ahead already has it. */
bool poll_pause_for(napi_env env, int fd, struct read_ahead *owner);
/* Watch fd again if `owner` still holds it (not when the socket was closed
 * meanwhile, or the number now belongs to another socket). */
void poll_resume_from(napi_env env, int fd, struct read_ahead *owner);
/* Called when the watcher of a paused fd is released (the socket closes). */
void read_ahead_cancel(struct read_ahead *owner);
/* Called as `owner` is freed: no watcher may point to it any more. */
void poll_forget_owner(napi_env env, struct read_ahead *owner);

/* ---- exported functions ------------------------------------------------ */

napi_value js_socket_open(napi_env env, napi_callback_info info);
napi_value js_socket_bind(napi_env env, napi_callback_info info);
napi_value js_setsockopt_int(napi_env env, napi_callback_info info);
napi_value js_getsockopt_int(napi_env env, napi_callback_info info);
napi_value js_socket_send(napi_env env, napi_callback_info info);
napi_value js_socket_recv(napi_env env, napi_callback_info info);
napi_value js_socket_close(napi_env env, napi_callback_info info);
napi_value js_socket_netns(napi_env env, napi_callback_info info);
napi_value js_socket_ifindex(napi_env env, napi_callback_info info);

napi_value js_poll_start(napi_env env, napi_callback_info info);
napi_value js_poll_stop(napi_env env, napi_callback_info info);
napi_value js_poll_ref(napi_env env, napi_callback_info info);
napi_value js_read_ahead(napi_env env, napi_callback_info info);
/* Stops and releases the poll watcher of fd, if any (used by socketClose). */
void poll_release_fd(napi_env env, int fd);
/* Sets up the per-environment poll registry (called once per module load). */
bool poll_init_env(napi_env env);

napi_value js_netns_create(napi_env env, napi_callback_info info);
napi_value js_netns_create_connected(napi_env env, napi_callback_info info);
napi_value js_netns_create_connected_async(napi_env env, napi_callback_info info);
napi_value js_netns_delete(napi_env env, napi_callback_info info);
napi_value js_ns_open(napi_env env, napi_callback_info info);
napi_value js_ns_type(napi_env env, napi_callback_info info);
napi_value js_tun_create(napi_env env, napi_callback_info info);
napi_value js_sysctl_write(napi_env env, napi_callback_info info);
napi_value js_sysctl_read(napi_env env, napi_callback_info info);

#endif
