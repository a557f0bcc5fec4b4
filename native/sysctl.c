/*
 * sysctl files read or written from inside a network namespace.
 *
 * /proc/sys/net/... resolves against the network namespace of the thread
 * that opens the file, so the open and the I/O happen on a helper thread
 * that joined the target namespace (nsthread.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns_native.h"

/* Largest sysctl value we read; real ones are a few bytes to a few KiB. */
#define SYSCTL_READ_MAX (1024 * 1024)

/* Only files under /proc/sys, and no way to climb out of it. */
static bool sysctl_path_ok(const char *path)
{
	const char *p;
	static const char prefix[] = "/proc/sys/";
	if (strncmp(path, prefix, sizeof(prefix) - 1) != 0 || strlen(path) >= PATH_MAX)
		return false;
	for (p = path; (p = strstr(p, "..")) != NULL; p += 2) {
		bool starts = p[-1] == '/';
		bool ends = p[2] == '/' || p[2] == '\0';
		if (starts && ends)
			return false;
	}
	return true;
}

struct sysctl_io {
	const char *path;
	char *value;   /* write: input; read: malloc'ed output */
	size_t length; /* write: input length; read: bytes read */
};

static int sysctl_write_step(void *opaque, const char **syscall)
{
	struct sysctl_io *io = opaque;
	ssize_t n;
	int fd, err = 0;

	fd = open(io->path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		*syscall = "open";
		return errno;
	}
	/* One write: sysctl handlers parse the buffer they are given as a whole. */
	n = write(fd, io->value, io->length);
	if (n < 0) {
		err = errno;
		*syscall = "write";
	} else if ((size_t)n != io->length) {
		err = EIO;
		*syscall = "write";
	}
	if (close(fd) != 0 && err == 0 && errno != EINTR) {
		err = errno;
		*syscall = "close";
	}
	return err;
}

static int sysctl_read_step(void *opaque, const char **syscall)
{
	struct sysctl_io *io = opaque;
	size_t capacity = 4096;
	ssize_t n;
	int fd, err = 0;

	fd = open(io->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*syscall = "open";
		return errno;
	}
	io->value = malloc(capacity);
	io->length = 0;
	while (io->value != NULL) {
		if (io->length == capacity) {
			char *bigger = capacity < SYSCTL_READ_MAX ? realloc(io->value, capacity * 2)
								  : NULL;
			if (bigger == NULL) {
				err = capacity < SYSCTL_READ_MAX ? ENOMEM : EFBIG;
				*syscall = "read";
				break;
			}
			io->value = bigger;
			capacity *= 2;
		}
		n = read(fd, io->value + io->length, capacity - io->length);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			*syscall = "read";
			break;
		}
		if (n == 0)
			break;
		io->length += (size_t)n;
	}
	if (io->value == NULL && err == 0) {
		err = ENOMEM;
		*syscall = "read";
	}
	close(fd);
	return err;
}

/* Shared argument handling: (netnsFd, path[, value]). */
static bool sysctl_args(napi_env env, napi_callback_info info, size_t argc, int32_t *netns_fd,
			char **path, char **value)
{
	napi_value argv[3];
	*path = NULL;
	if (value != NULL)
		*value = NULL;
	if (!get_args(env, info, argc, argv) ||
	    !arg_int32(env, argv[0], "netnsFd must be an integer", netns_fd) ||
	    !arg_string(env, argv[1], "path must be a string", path))
		return false;
	if (!sysctl_path_ok(*path)) {
		free(*path);
		*path = NULL;
		throw_errno(env, EINVAL, "sysctl");
		return false;
	}
	if (value != NULL && !arg_string(env, argv[2], "value must be a string", value)) {
		free(*path);
		*path = NULL;
		return false;
	}
	return true;
}

static int run_sysctl(int32_t netns_fd, ns_step_fn step, struct sysctl_io *io,
		      const char **syscall)
{
	if (netns_fd < 0)
		return step(io, syscall);
	return run_in_netns_thread(netns_fd, step, io, syscall);
}

/* sysctlWrite(netnsFd, path, value) */
napi_value js_sysctl_write(napi_env env, napi_callback_info info)
{
	struct sysctl_io io = { NULL, NULL, 0 };
	const char *syscall = NULL;
	char *path, *value;
	int32_t netns_fd;
	int err;

	if (!sysctl_args(env, info, 3, &netns_fd, &path, &value))
		return NULL;
	io.path = path;
	io.value = value;
	io.length = strlen(value);
	err = run_sysctl(netns_fd, sysctl_write_step, &io, &syscall);
	free(path);
	free(value);
	if (err != 0) {
		throw_errno(env, err, syscall);
		return NULL;
	}
	return make_undefined(env);
}

/* sysctlRead(netnsFd, path) -> the file's content, as is. */
napi_value js_sysctl_read(napi_env env, napi_callback_info info)
{
	struct sysctl_io io = { NULL, NULL, 0 };
	const char *syscall = NULL;
	napi_value result = NULL;
	int32_t netns_fd;
	char *path;
	int err;

	if (!sysctl_args(env, info, 2, &netns_fd, &path, NULL))
		return NULL;
	io.path = path;
	err = run_sysctl(netns_fd, sysctl_read_step, &io, &syscall);
	free(path);
	if (err != 0) {
		free(io.value);
		throw_errno(env, err, syscall);
		return NULL;
	}
	napi_create_string_utf8(env, io.value, io.length, &result);
	free(io.value);
	return result;
}
