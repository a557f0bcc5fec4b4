/*
 * Namespace work on a short-lived thread.
 *
 * setns(CLONE_NEWNET) and unshare(CLONE_NEWNET) change the namespace of the
 * calling *thread* only. Doing that on the JS thread would silently move
 * every later socket the process opens; doing it on a libuv pool thread
 * would poison whatever job that thread runs next. So each namespace step
 * gets its own pthread: join the namespace, do one thing, exit. What it
 * produced (a socket fd, a mount, a sysctl write) outlives the thread,
 * because fds and mounts belong to the process and a socket stays bound to
 * the namespace it was created in.
 *
 * The caller blocks in pthread_join: every step is a handful of fast
 * syscalls, so this is cheaper than a round trip through the thread pool.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>

#include "netns_native.h"

struct ns_job {
	int netns_fd;
	ns_step_fn step;
	void *arg;
	int err;
	const char *syscall;
};

static void *ns_thread_main(void *opaque)
{
	struct ns_job *job = opaque;
	if (job->netns_fd >= 0 && setns(job->netns_fd, CLONE_NEWNET) != 0) {
		job->err = errno;
		job->syscall = "setns";
		return NULL;
	}
	job->err = job->step(job->arg, &job->syscall);
	return NULL;
}

int run_in_netns_thread(int netns_fd, ns_step_fn step, void *arg, const char **syscall)
{
	struct ns_job job = { netns_fd, step, arg, 0, NULL };
	pthread_attr_t attr;
	pthread_t thread;
	sigset_t all, old;
	int rc;

	/* A small stack is plenty for a few syscalls. */
	rc = pthread_attr_init(&attr);
	if (rc == 0)
		rc = pthread_attr_setstacksize(&attr, 256 * 1024);
	if (rc != 0) {
		*syscall = "pthread_attr_init";
		return rc;
	}

	/* The thread inherits the creator's signal mask. Block everything so no
	 * process-directed signal (SIGCHLD, SIGINT, ...) is handled on a thread
	 * that sits in another namespace; restore our own mask right after. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&thread, &attr, ns_thread_main, &job);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		*syscall = "pthread_create";
		return rc;
	}

	rc = pthread_join(thread, NULL);
	if (rc != 0) {
		*syscall = "pthread_join";
		return rc;
	}
	*syscall = job.syscall;
	return job.err;
}
