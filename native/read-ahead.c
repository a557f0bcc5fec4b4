/*
 * Read-ahead: a socket drained on a short-lived pthread while the JS thread
 * works.
 *
 * The kernel builds a dump's next datagram inside the reader's recvmsg()
 * (netlink_recvmsg runs the dump callback once the queue has room). Read on
 * the JS thread, the kernel's building and the decoding in JS take turns;
 * read here, they overlap on two cores. The thread receives whole datagrams
 * exactly as socketRecv() does, until the socket is empty (EAGAIN), hands each
 * to JS in order through a thread-safe function, then reports the end and
 * exits. No blocking call is ever made: the socket is non-blocking, and the
 * thread ends at the first EAGAIN instead of waiting.
 *
 * One reader at a time: the fd's libuv watcher is stopped while the thread
 * reads and started again when JS has been handed the end. The thread reads
 * its own dup() of the fd, so a socketClose() meanwhile cannot make it read
 * another socket that reuses the number; closing also cancels it (the next
 * datagram is not read).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "netns_native.h"

struct read_ahead {
	int fd;      /* the number JS knows: finds the watcher again */
	int own_fd;  /* the thread's dup() of it */
	napi_threadsafe_function deliver;
	napi_async_context async;
	atomic_bool cancelled;
	/* The end, allocated up front so that it can always be handed over. */
	struct handed *end;
	pthread_t thread;
	bool started;
};

/* What the thread hands over: a datagram, an error, or the end (both NULL/0). */
struct handed {
	void *data;
	size_t size;
	struct datagram_origin origin;
	int err;
	const char *syscall;
};

void read_ahead_cancel(struct read_ahead *ra)
{
	atomic_store(&ra->cancelled, true);
}

/* A datagram as a Buffer of its own. Copied (32 KiB: microseconds) rather than
 * handed over as an external buffer, whose finalizer would run in a later
 * collection for each one. */
static napi_value buffer_of(napi_env env, struct handed *h)
{
	napi_value buffer;
	void *copy;
	if (napi_create_buffer_copy(env, h->size, h->data, &copy, &buffer) != napi_ok)
		return NULL;
	return buffer;
}

/* On the JS thread, in order: onDatagram(datagram | null, error?). */
static void call_js(napi_env env, napi_value callback, void *context, void *data)
{
	struct read_ahead *ra = context;
	struct handed *h = data;
	napi_value argv[2], global, buffer;
	size_t argc = 1;

	if (env == NULL) {
		/* The environment is shutting down: nobody to hand it to. */
		free(h->data);
		free(h);
		return;
	}
	if (h->data == NULL && h->err == 0) {
		/* The end: the fd is JS's to poll again before JS hears of it, so a
		 * datagram arriving from now on is seen by the watcher. */
		poll_resume_from(env, ra->fd, ra);
		napi_get_null(env, &argv[0]);
	} else if (h->err != 0) {
		napi_get_null(env, &argv[0]);
		argv[1] = errno_error(env, h->err, h->syscall);
		argc = argv[1] != NULL ? 2 : 1;
	} else {
		buffer = buffer_of(env, h);
		argv[0] = buffer != NULL ? datagram_object(env, buffer, &h->origin) : NULL;
		if (argv[0] == NULL) {
			argv[1] = errno_error(env, ENOMEM, "readAhead");
			napi_get_null(env, &argv[0]);
			argc = 2;
		}
	}
	free(h->data);
	free(h);
	if (napi_get_global(env, &global) != napi_ok)
		return;
	/* make_callback, as poll.c: microtasks run after each, as after any I/O. */
	if (napi_make_callback(env, ra->async, global, callback, argc, argv, NULL) == napi_pending_exception) {
		napi_value exception;
		if (napi_get_and_clear_last_exception(env, &exception) == napi_ok)
			napi_fatal_exception(env, exception);
	}
}

/* Runs on the JS thread once the thread has released the function and
 * everything it queued was delivered. */
static void finalize(napi_env env, void *data, void *hint)
{
	struct read_ahead *ra = data;
	(void)hint;
	/* Usually the thread has released the function and is returning. When the
	 * environment is torn down (a worker terminated mid-dump), Node finalizes
	 * the function while the thread may still be reading: stop it and wait
	 * (its reads never block, and calls to the function now fail at once)
	 * before freeing what it uses. */
	atomic_store(&ra->cancelled, true);
	if (ra->started)
		pthread_join(ra->thread, NULL);
	/* The end may not have been delivered (the environment is closing):
	 * no watcher may still point here. */
	poll_forget_owner(env, ra);
	napi_async_destroy(env, ra->async);
	free(ra->end);
	free(ra);
}

/* false when JS can no longer be reached (the environment is closing). */
static bool hand_over(struct read_ahead *ra, struct handed *h)
{
	if (napi_call_threadsafe_function(ra->deliver, h, napi_tsfn_blocking) == napi_ok)
		return true;
	free(h->data);
	free(h);
	return false;
}

static void *drain(void *arg)
{
	struct read_ahead *ra = arg;
	struct handed *h;
	bool reachable = true;
	int err;

	while (reachable && !atomic_load(&ra->cancelled)) {
		ssize_t size = datagram_peek_size(ra->own_fd);
		if (size < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		h = calloc(1, sizeof(*h));
		if (h == NULL)
			break;
		if (size < 0) {
			/* As socketRecv: ENOBUFS only says datagrams were lost (reading it
			 * cleared it); any other error ends the reading. Once handed over,
			 * h is JS's: nothing is read from it here. */
			err = h->err = errno;
			h->syscall = "recv";
			reachable = hand_over(ra, h);
			if (err != ENOBUFS)
				break;
			continue;
		}
		h->size = (size_t)size;
		h->data = malloc(size > 0 ? (size_t)size : 1);
		if (h->data == NULL) {
			h->err = ENOMEM;
			h->syscall = "readAhead";
			hand_over(ra, h);
			break;
		}
		err = datagram_read(ra->own_fd, h->data, h->size, &h->origin);
		if (err != 0) {
			free(h->data);
			h->data = NULL;
			h->err = err;
			h->syscall = "recvmsg";
			hand_over(ra, h);
			break;
		}
		reachable = hand_over(ra, h);
	}
	close(ra->own_fd);
	h = ra->end;
	ra->end = NULL; /* handed over: call_js frees it */
	hand_over(ra, h);
	napi_release_threadsafe_function(ra->deliver, napi_tsfn_release);
	return NULL;
}

/*
 * readAhead(fd, onDatagram) -> boolean: start draining fd on a thread. Each
 * datagram comes as onDatagram({ data, pid, groups, nsid? }), a receive error
 * as onDatagram(null, error), and the end as onDatagram(null) after the fd is
 * polled again. false (nothing started) when fd is not polled with pollStart
 * or is already being read ahead.
 */
napi_value js_read_ahead(napi_env env, napi_callback_info info)
{
	napi_value argv[2], name, result;
	struct read_ahead *ra;
	int fd, rc;

	if (!get_args(env, info, 2, argv) || !arg_fd(env, argv[0], &fd) ||
	    !arg_function(env, argv[1], "onDatagram must be a function"))
		return NULL;
	ra = calloc(1, sizeof(*ra));
	if (ra == NULL || (ra->end = calloc(1, sizeof(*ra->end))) == NULL) {
		free(ra);
		throw_errno(env, ENOMEM, "readAhead");
		return NULL;
	}
	ra->fd = fd;
	atomic_init(&ra->cancelled, false);
	ra->own_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (ra->own_fd < 0) {
		rc = errno;
		free(ra->end);
		free(ra);
		throw_errno(env, rc, "fcntl");
		return NULL;
	}
	if (napi_create_string_utf8(env, "NetnsSocketReadAhead", NAPI_AUTO_LENGTH, &name) != napi_ok ||
	    napi_async_init(env, NULL, name, &ra->async) != napi_ok)
		goto setup_failed;
	if (napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, ra, finalize, ra, call_js,
					    &ra->deliver) != napi_ok) {
		napi_async_destroy(env, ra->async);
		goto setup_failed;
	}
	/* From here on, finalize frees ra once the function is released. */
	if (!poll_pause_for(env, fd, ra)) {
		close(ra->own_fd);
		napi_release_threadsafe_function(ra->deliver, napi_tsfn_abort);
		napi_get_boolean(env, false, &result);
		return result;
	}
	/* Joined in finalize, which Node runs on this thread once the function is
	 * released. */
	rc = pthread_create(&ra->thread, NULL, drain, ra);
	ra->started = rc == 0;
	if (rc != 0) {
		poll_resume_from(env, fd, ra);
		close(ra->own_fd);
		napi_release_threadsafe_function(ra->deliver, napi_tsfn_abort);
		throw_errno(env, rc, "pthread_create");
		return NULL;
	}
	napi_get_boolean(env, true, &result);
	return result;

setup_failed:
	close(ra->own_fd);
	free(ra->end);
	free(ra);
	napi_throw_error(env, NULL, "readAhead: node-api setup failed");
	return NULL;
}
