/*
 * Named network namespaces, laid out the way iproute2 lays them out.
 *
 * A named namespace is an empty file RUNDIR/NAME with the namespace's nsfs
 * inode bind-mounted on it: the mount keeps the namespace alive with no
 * process in it, and `ip netns` (list, exec, -n NAME) sees ours and we see
 * theirs. RUNDIR is made a shared mount so that the bind mounts propagate to
 * mount namespaces created later (e.g. by `ip netns exec`).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/nsfs.h>

#include "netns_native.h"

/* The JS layer validates names; refuse path tricks here too, because a bad
 * name would otherwise mount or unlink outside RUNDIR. */
static bool name_is_component(const char *name)
{
	return name[0] != '\0' && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

/* Reads (runDir, name) and builds RUNDIR/NAME. Throws and returns false on bad input. */
static bool netns_args(napi_env env, napi_callback_info info, char **run_dir, char **path)
{
	napi_value argv[2];
	char *name = NULL;
	size_t len;

	*run_dir = NULL;
	*path = NULL;
	if (!get_args(env, info, 2, argv) ||
	    !arg_string(env, argv[0], "runDir must be a string", run_dir))
		return false;
	if (!arg_string(env, argv[1], "name must be a string", &name))
		goto fail;
	if ((*run_dir)[0] != '/' || !name_is_component(name)) {
		throw_errno(env, EINVAL, "netns");
		goto fail;
	}
	len = strlen(*run_dir) + 1 + strlen(name) + 1;
	if (len > PATH_MAX) {
		throw_errno(env, ENAMETOOLONG, "netns");
		goto fail;
	}
	*path = malloc(len);
	if (*path == NULL) {
		throw_errno(env, ENOMEM, "netns");
		goto fail;
	}
	if (snprintf(*path, len, "%s/%s", *run_dir, name) != (int)len - 1) {
		throw_errno(env, ENAMETOOLONG, "netns"); /* cannot happen: len was computed */
		free(*path);
		*path = NULL;
		goto fail;
	}
	free(name);
	return true;
fail:
	free(name);
	free(*run_dir);
	*run_dir = NULL;
	return false;
}

/* iproute2's sequence: try to make RUNDIR a shared mount; if it is not a
 * mount point yet (EINVAL), bind-mount it onto itself once and retry. */
static int make_run_dir_shared(const char *run_dir, const char **syscall)
{
	bool bound = false;
	if (mkdir(run_dir, 0755) != 0 && errno != EEXIST) {
		*syscall = "mkdir";
		return errno;
	}
	while (mount("", run_dir, "none", MS_SHARED | MS_REC, NULL) != 0) {
		if (errno != EINVAL || bound) {
			*syscall = "mount";
			return errno;
		}
		if (mount(run_dir, run_dir, "none", MS_BIND | MS_REC, NULL) != 0) {
			*syscall = "mount";
			return errno;
		}
		bound = true;
	}
	return 0;
}

struct create_args {
	const char *path;
	/* >= 0: also open a netlink socket of this protocol in the new namespace. */
	int protocol;
	int fd;
};

/* Runs on the helper thread: the new namespace exists only as long as this
 * thread or the bind mount holds it, so the mount must happen here. A socket
 * asked for is opened here too, already in the namespace: no second thread to
 * join it later. */
static int create_step(void *opaque, const char **syscall)
{
	struct create_args *a = opaque;
	char self[64];
	if (unshare(CLONE_NEWNET) != 0) {
		*syscall = "unshare";
		return errno;
	}
	/* This thread's namespace: /proc/self/ns/net would be the main
	 * thread's, i.e. the namespace we came from. */
	snprintf(self, sizeof(self), "/proc/self/task/%d/ns/net", (int)gettid());
	if (mount(self, a->path, "none", MS_BIND, NULL) != 0) {
		*syscall = "mount";
		return errno;
	}
	if (a->protocol >= 0) {
		a->fd = netlink_socket(a->protocol, syscall);
		if (a->fd < 0) {
			int err = errno;
			/* All or nothing: without its socket the namespace is not kept
			 * either (the caller unlinks the file). */
			umount2(a->path, MNT_DETACH);
			return err;
		}
	}
	return 0;
}

/* Creates RUNDIR/NAME (see the file comment); with protocol >= 0 also returns
 * a netlink socket in it through *fd. Returns 0, or an errno and the call that
 * failed; nothing is left behind on failure. Touches no JS: the asynchronous
 * form runs it on a libuv pool thread (whose own namespace it never changes:
 * the namespace work is on a thread of its own, nsthread.c). */
static int create_named_work(const char *run_dir, const char *path, int protocol, int *fd, const char **syscall)
{
	struct create_args a = { path, protocol, -1 };
	int err = make_run_dir_shared(run_dir, syscall);
	if (err == 0) {
		/* O_EXCL: an existing name is an error, never silently reused. */
		int file = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
		if (file < 0) {
			err = errno;
			*syscall = "open";
		} else {
			close(file);
			err = run_in_netns_thread(-1, create_step, &a, syscall);
			if (err != 0)
				unlink(path); /* nothing is mounted: the file is all there is */
		}
	}
	*fd = a.fd;
	return err;
}

/* create_named_work, throwing on failure (returns false then). */
static bool create_named(napi_env env, const char *run_dir, const char *path, int protocol, int *fd)
{
	const char *syscall = NULL;
	int err = create_named_work(run_dir, path, protocol, fd, &syscall);
	if (err != 0) {
		throw_errno(env, err, syscall);
		return false;
	}
	return true;
}

/* netnsCreate(runDir, name), like `ip netns add NAME`. */
napi_value js_netns_create(napi_env env, napi_callback_info info)
{
	char *run_dir, *path;
	int fd;
	bool ok;

	if (!netns_args(env, info, &run_dir, &path))
		return NULL;
	ok = create_named(env, run_dir, path, -1, &fd);
	free(run_dir);
	free(path);
	return ok ? make_undefined(env) : NULL;
}

/* (runDir, name, protocol) of both netnsCreateConnected forms: RUNDIR/NAME
 * built and the protocol checked. Throws and returns false on bad input. */
static bool create_connected_args(napi_env env, napi_callback_info info, char **run_dir, char **path, int32_t *protocol)
{
	napi_value argv[3];

	if (!get_args(env, info, 3, argv) ||
	    !arg_int32(env, argv[2], "protocol must be an integer", protocol))
		return false;
	if (*protocol < 0) {
		throw_type(env, "protocol must be an integer");
		return false;
	}
	return netns_args(env, info, run_dir, path);
}

/* netnsCreateConnected(runDir, name, protocol): `ip netns add NAME` and a
 * netlink socket of `protocol` in the new namespace, made by the one thread
 * that creates it. Returns the socket fd; on any failure, neither exists. */
napi_value js_netns_create_connected(napi_env env, napi_callback_info info)
{
	char *run_dir, *path;
	int32_t protocol;
	int fd = -1;
	bool ok;

	if (!create_connected_args(env, info, &run_dir, &path, &protocol))
		return NULL;
	ok = create_named(env, run_dir, path, protocol, &fd);
	free(run_dir);
	free(path);
	return ok ? make_int(env, fd) : NULL;
}

/* One netnsCreateConnectedAsync call, from the JS thread to the pool and back. */
struct create_job {
	napi_async_work work;
	napi_deferred deferred;
	char *run_dir;
	char *path;
	int32_t protocol;
	int fd;
	int err;
	const char *syscall;
};

static void create_job_free(struct create_job *job)
{
	free(job->run_dir);
	free(job->path);
	free(job);
}

/* On a pool thread: the blocking part (open, the helper thread's unshare,
 * mount and socket, its join). */
static void create_job_execute(napi_env env, void *data)
{
	struct create_job *job = data;
	(void)env;
	job->err = create_named_work(job->run_dir, job->path, job->protocol, &job->fd, &job->syscall);
}

/* A namespace and socket made but not handed over: the socket closed, the
 * namespace unmounted and unlinked, and the job failing with `err`. */
static void create_job_undo(struct create_job *job, int err)
{
	if (job->err == 0 && job->fd >= 0) {
		close(job->fd);
		umount2(job->path, MNT_DETACH);
		unlink(job->path);
	}
	job->err = err;
	job->syscall = "netnsCreateConnectedAsync";
}

/* Back on the JS thread: settle the promise. A socket nobody can be handed
 * (the environment going away, a value that cannot be made) is closed and its
 * namespace unmounted and unlinked: all or nothing, as the synchronous form. */
static void create_job_complete(napi_env env, napi_status status, void *data)
{
	struct create_job *job = data;
	napi_value value = NULL;

	if (status == napi_ok && job->err == 0) {
		value = make_int(env, job->fd);
		if (value != NULL && napi_resolve_deferred(env, job->deferred, value) == napi_ok) {
			napi_delete_async_work(env, job->work);
			create_job_free(job);
			return;
		}
		create_job_undo(job, ENOMEM);
	} else if (status != napi_ok) {
		/* Cancelled before it ran; should it have run all the same, it is undone. */
		create_job_undo(job, ECANCELED);
	}
	value = errno_error(env, job->err, job->syscall);
	if (value != NULL)
		napi_reject_deferred(env, job->deferred, value);
	napi_delete_async_work(env, job->work);
	create_job_free(job);
}

/* netnsCreateConnectedAsync(runDir, name, protocol) -> Promise<fd>: what
 * netnsCreateConnected does, with the JS thread free meanwhile (the namespace
 * work takes most of a millisecond in the kernel). Bad arguments throw at once. */
napi_value js_netns_create_connected_async(napi_env env, napi_callback_info info)
{
	napi_value promise, name;
	struct create_job *job;

	job = calloc(1, sizeof(*job));
	if (job == NULL) {
		throw_errno(env, ENOMEM, "netnsCreateConnectedAsync");
		return NULL;
	}
	job->fd = -1;
	if (!create_connected_args(env, info, &job->run_dir, &job->path, &job->protocol)) {
		create_job_free(job);
		return NULL;
	}
	if (napi_create_string_utf8(env, "NetnsCreate", NAPI_AUTO_LENGTH, &name) != napi_ok ||
	    napi_create_async_work(env, NULL, name, create_job_execute, create_job_complete, job, &job->work) != napi_ok) {
		create_job_free(job);
		napi_throw_error(env, NULL, "netnsCreateConnectedAsync: node-api setup failed");
		return NULL;
	}
	if (napi_create_promise(env, &job->deferred, &promise) != napi_ok ||
	    napi_queue_async_work(env, job->work) != napi_ok) {
		/* A deferred never settled is only garbage; the work was never queued. */
		napi_delete_async_work(env, job->work);
		create_job_free(job);
		napi_throw_error(env, NULL, "netnsCreateConnectedAsync: node-api setup failed");
		return NULL;
	}
	return promise;
}

/* netnsDelete(runDir, name), like `ip netns delete NAME`. The namespace
 * itself lives on while any process or socket still uses it. */
napi_value js_netns_delete(napi_env env, napi_callback_info info)
{
	char *run_dir, *path;
	int err = 0;

	if (!netns_args(env, info, &run_dir, &path))
		return NULL;
	/* Not mounted (a stale file) is fine: the unlink below still cleans up. */
	umount2(path, MNT_DETACH);
	if (unlink(path) != 0)
		err = errno;
	free(run_dir);
	free(path);
	if (err != 0) {
		throw_errno(env, err, "unlink");
		return NULL;
	}
	return make_undefined(env);
}

/* nsOpen(path) -> [fd, nstype, inode, dev]: opens a namespace file (O_RDONLY | O_CLOEXEC) and
 * says what it is in the same call, where Node's openSync and fstatSync plus nsType ran three
 * (and about twenty of Node's functions of argument checks and Stats building, which a
 * setup's first namespace open paid for cold). nstype is the CLONE_NEW* flag, 0 for a file that is not
 * a namespace at all (ioctl ENOTTY, e.g. a stale /run/netns entry): the caller decides what
 * that means and closes the fd. Throws the errno of open, fstat or any other ioctl failure. */
napi_value js_ns_open(napi_env env, napi_callback_info info)
{
	napi_value argv[1], result, item;
	char *path;
	struct stat st;
	int fd, type, err;
	int64_t values[4];
	uint32_t i;

	if (!get_args(env, info, 1, argv) || !arg_string(env, argv[0], "path must be a string", &path))
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	err = errno;
	free(path);
	if (fd < 0) {
		throw_errno(env, err, "open");
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		err = errno;
		close(fd);
		throw_errno(env, err, "fstat");
		return NULL;
	}
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0) {
		err = errno;
		if (err != ENOTTY) {
			close(fd);
			throw_errno(env, err, "ioctl(NS_GET_NSTYPE)");
			return NULL;
		}
		type = 0;
	}
	values[0] = fd;
	values[1] = type;
	values[2] = (int64_t)st.st_ino;
	values[3] = (int64_t)st.st_dev;
	if (napi_create_array_with_length(env, 4, &result) != napi_ok)
		goto fail;
	for (i = 0; i < 4; i++) {
		if (napi_create_int64(env, values[i], &item) != napi_ok ||
		    napi_set_element(env, result, i, item) != napi_ok)
			goto fail;
	}
	return result;
fail:
	close(fd);
	return NULL;
}

/* nsType(fd) -> CLONE_NEW* of the namespace fd refers to. Lets the JS layer say "that is not
 * a network namespace" up front instead of an EINVAL from setns() later: a bind-mounted
 * namespace reads back through /proc/self/fd as its mount path, so only the kernel can tell.
 * Throws ENOTTY for a file that is not a namespace (e.g. a stale /run/netns entry). */
napi_value js_ns_type(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	int fd, type;

	if (!get_args(env, info, 1, argv) || !arg_fd(env, argv[0], &fd))
		return NULL;
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0) {
		throw_errno(env, errno, "ioctl(NS_GET_NSTYPE)");
		return NULL;
	}
	return make_int(env, type);
}
