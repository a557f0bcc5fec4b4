/*
 * Readiness of netlink sockets through libuv.
 *
 * One uv_poll_t per polled fd. When the socket becomes readable the JS
 * callback runs and drains it with socketRecv() until that returns null, so
 * there is never a blocking read and never a busy loop. The watchers of an
 * environment (main thread or worker) are kept in a table indexed by fd hung
 * off the addon's instance data, so pollStop/pollRef/socketClose find them in
 * one step: every request refs and unrefs its socket's watcher, and a program
 * with 500 connections (one per namespace) walked a list of 500 for each.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <uv.h>

#include "netns_native.h"

struct poll_watch;

struct poll_registry {
	/* by_fd[fd]: the live watch of fd, or NULL; `size` entries. */
	struct poll_watch **by_fd;
	size_t size;
};

struct poll_watch {
	uv_poll_t handle; /* first: uv callbacks get &handle */
	napi_env env;
	int fd;
	napi_ref callback;
	napi_async_context async;
	/* Lets Node wait for our uv_close when the environment shuts down. */
	napi_async_cleanup_hook_handle cleanup;
	/* Set once the watch is unlinked; the struct lives until uv_close ends. */
	bool released;
	/* The read-ahead thread reading this fd while the watch is stopped. */
	struct read_ahead *paused_by;
};

static struct poll_registry *registry_of(napi_env env)
{
	void *data = NULL;
	napi_get_instance_data(env, &data);
	return data;
}

static void registry_finalize(napi_env env, void *data, void *hint)
{
	(void)env;
	(void)hint;
	/* Every watch unlinks itself in its cleanup hook, which runs first. */
	struct poll_registry *registry = data;
	free(registry->by_fd);
	free(registry);
}

bool poll_init_env(napi_env env)
{
	struct poll_registry *registry = calloc(1, sizeof(*registry));
	if (registry == NULL)
		return false;
	if (napi_set_instance_data(env, registry, registry_finalize, NULL) != napi_ok) {
		free(registry);
		return false;
	}
	return true;
}

static struct poll_watch *find_watch(napi_env env, int fd)
{
	struct poll_registry *registry = registry_of(env);
	if (registry == NULL || fd < 0 || (size_t)fd >= registry->size)
		return NULL;
	return registry->by_fd[fd];
}

/* Make room for fd in the table (grown to the next power of two). */
static bool reserve_fd(struct poll_registry *registry, int fd)
{
	size_t size = registry->size ? registry->size : 64;
	struct poll_watch **grown;
	if ((size_t)fd < registry->size)
		return true;
	while (size <= (size_t)fd)
		size *= 2;
	grown = realloc(registry->by_fd, size * sizeof(*grown));
	if (grown == NULL)
		return false;
	for (size_t i = registry->size; i < size; i++)
		grown[i] = NULL;
	registry->by_fd = grown;
	registry->size = size;
	return true;
}

static void unlink_watch(struct poll_watch *w)
{
	struct poll_registry *registry = registry_of(w->env);
	/* Only if it is this watch: a watch that never got linked leaves the slot alone. */
	if (registry != NULL && (size_t)w->fd < registry->size && registry->by_fd[w->fd] == w)
		registry->by_fd[w->fd] = NULL;
}

/* libuv may still touch the handle until its close callback: free only here. */
static void on_closed(uv_handle_t *handle)
{
	struct poll_watch *w = (struct poll_watch *)handle;
	if (w->cleanup != NULL)
		napi_remove_async_cleanup_hook(w->cleanup);
	free(w);
}

/* Stop watching, drop the JS references and start closing the handle.
 * `from_hook` tells whether Node's shutdown is waiting for us. */
static void release_watch(struct poll_watch *w, bool from_hook)
{
	if (w->released)
		return;
	w->released = true;
	unlink_watch(w);
	if (w->paused_by != NULL) {
		read_ahead_cancel(w->paused_by);
		w->paused_by = NULL;
	}
	uv_poll_stop(&w->handle);
	napi_delete_reference(w->env, w->callback);
	napi_async_destroy(w->env, w->async);
	if (!from_hook) {
		/* Nobody waits for this close: unregister the shutdown hook now. */
		napi_remove_async_cleanup_hook(w->cleanup);
		w->cleanup = NULL;
	}
	uv_close((uv_handle_t *)&w->handle, on_closed);
}

/* Environment shutdown (process exit, worker termination): Node runs this and
 * waits until on_closed() removes the hook. */
static void on_env_cleanup(napi_async_cleanup_hook_handle hook, void *arg)
{
	struct poll_watch *w = arg;
	w->cleanup = hook;
	release_watch(w, true);
}

/* Does the socket still report an error nobody read? */
static bool error_still_pending(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLNVAL)) != 0;
}

static void on_poll(uv_poll_t *handle, int status, int events)
{
	struct poll_watch *w = (struct poll_watch *)handle;
	napi_env env = w->env;
	napi_handle_scope scope;
	napi_value fn, global;
	napi_status rc;
	(void)events;

	if (napi_open_handle_scope(env, &scope) != napi_ok)
		return;
	if (napi_get_reference_value(env, w->callback, &fn) == napi_ok &&
	    napi_get_global(env, &global) == napi_ok) {
		/* make_callback (not call_function): runs the microtask queue and
		 * async_hooks as for any other I/O callback. */
		rc = napi_make_callback(env, w->async, global, fn, 0, NULL, NULL);
		if (rc == napi_pending_exception) {
			napi_value exception;
			/* An exception thrown by the callback is an uncaught exception,
			 * exactly like one thrown in a 'data' handler. */
			if (napi_get_and_clear_last_exception(env, &exception) == napi_ok)
				napi_fatal_exception(env, exception);
		}
	}
	napi_close_handle_scope(env, scope);

	/* A socket error (ENOBUFS: the kernel dropped messages for us) makes the
	 * fd report POLLERR, and libuv then *stops* the watcher and passes
	 * UV_EBADF. The callback above has read the error (recv returns and
	 * clears it), so resume watching. If the callback left the error unread,
	 * resuming would spin: stay stopped instead. */
	if (status < 0 && !w->released && w->paused_by == NULL && !error_still_pending(w->fd))
		uv_poll_start(&w->handle, UV_READABLE, on_poll);
}

/* pollStart(fd, onReadable): starts unref'd, so an idle socket never keeps
 * the process alive; the JS layer refs it while it waits for replies. */
napi_value js_poll_start(napi_env env, napi_callback_info info)
{
	napi_value argv[2], name;
	struct poll_registry *registry = registry_of(env);
	struct poll_watch *w;
	uv_loop_t *loop;
	int fd, rc;

	if (!get_args(env, info, 2, argv) || !arg_fd(env, argv[0], &fd))
		return NULL;
	if (!arg_function(env, argv[1], "onReadable must be a function"))
		return NULL;
	/* libuv silently ignores a second watcher on the same fd. */
	if (find_watch(env, fd) != NULL) {
		throw_errno(env, EEXIST, "pollStart");
		return NULL;
	}
	if (registry == NULL || napi_get_uv_event_loop(env, &loop) != napi_ok)
		return NULL;
	if (!reserve_fd(registry, fd)) {
		throw_errno(env, ENOMEM, "pollStart");
		return NULL;
	}

	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		throw_errno(env, ENOMEM, "pollStart");
		return NULL;
	}
	w->env = env;
	w->fd = fd;
	rc = uv_poll_init(loop, &w->handle, fd);
	if (rc != 0) {
		free(w); /* an uninitialized handle needs no uv_close */
		throw_errno(env, -rc, "uv_poll_init");
		return NULL;
	}
	if (napi_create_reference(env, argv[1], 1, &w->callback) != napi_ok ||
	    napi_create_string_utf8(env, "NetnsSocketPoll", NAPI_AUTO_LENGTH, &name) != napi_ok ||
	    napi_async_init(env, NULL, name, &w->async) != napi_ok ||
	    napi_add_async_cleanup_hook(env, on_env_cleanup, w, &w->cleanup) != napi_ok) {
		/* Partially set up: unwind what exists, the handle via uv_close. */
		if (w->callback != NULL)
			napi_delete_reference(env, w->callback);
		if (w->async != NULL)
			napi_async_destroy(env, w->async);
		w->released = true;
		uv_close((uv_handle_t *)&w->handle, on_closed);
		napi_throw_error(env, NULL, "pollStart: node-api setup failed");
		return NULL;
	}
	rc = uv_poll_start(&w->handle, UV_READABLE, on_poll);
	if (rc != 0) {
		release_watch(w, false);
		throw_errno(env, -rc, "uv_poll_start");
		return NULL;
	}
	uv_unref((uv_handle_t *)&w->handle);
	registry->by_fd[fd] = w;
	return make_undefined(env);
}

/* pollStop(fd): a no-op when fd is not polled, so it is safe to call twice. */
napi_value js_poll_stop(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	int fd;

	if (!get_args(env, info, 1, argv) || !arg_fd(env, argv[0], &fd))
		return NULL;
	poll_release_fd(env, fd);
	return make_undefined(env);
}

void poll_release_fd(napi_env env, int fd)
{
	struct poll_watch *w = find_watch(env, fd);
	if (w != NULL)
		release_watch(w, false);
}

bool poll_pause_for(napi_env env, int fd, struct read_ahead *owner)
{
	struct poll_watch *w = find_watch(env, fd);
	if (w == NULL || w->paused_by != NULL)
		return false;
	uv_poll_stop(&w->handle);
	w->paused_by = owner;
	return true;
}

void poll_resume_from(napi_env env, int fd, struct read_ahead *owner)
{
	struct poll_watch *w = find_watch(env, fd);
	if (w == NULL || w->paused_by != owner)
		return;
	w->paused_by = NULL;
	uv_poll_start(&w->handle, UV_READABLE, on_poll);
}

void poll_forget_owner(napi_env env, struct read_ahead *owner)
{
	struct poll_registry *registry = registry_of(env);
	for (size_t fd = 0; registry != NULL && fd < registry->size; fd++) {
		struct poll_watch *w = registry->by_fd[fd];
		if (w != NULL && w->paused_by == owner)
			w->paused_by = NULL;
	}
}

/* pollRef(fd, ref): whether this watcher keeps the event loop alive. */
napi_value js_poll_ref(napi_env env, napi_callback_info info)
{
	napi_value argv[2];
	struct poll_watch *w;
	bool ref;
	int fd;

	if (!get_args(env, info, 2, argv) || !arg_fd(env, argv[0], &fd))
		return NULL;
	if (napi_get_value_bool(env, argv[1], &ref) != napi_ok) {
		throw_type(env, "ref must be a boolean");
		return NULL;
	}
	w = find_watch(env, fd);
	if (w == NULL) {
		throw_errno(env, EBADF, "pollRef");
		return NULL;
	}
	if (ref)
		uv_ref((uv_handle_t *)&w->handle);
	else
		uv_unref((uv_handle_t *)&w->handle);
	return make_undefined(env);
}
