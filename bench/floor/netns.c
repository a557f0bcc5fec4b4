/*
 * Named namespaces the way iproute2 makes them (a bind mount of the namespace on
 * /run/netns/NAME, with /run/netns a shared mount). The main thread never changes namespace:
 * each switch happens on a helper thread that does one thing and exits.
 */
#include "floor.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

void netns_prepare_run_dir(void)
{
	mkdir(NETNS_RUN_DIR, 0755);
	/* Same dance as `ip netns add`: make the directory a shared mount point of its own. */
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
		return;
	if (errno != EINVAL)
		die("make %s shared: %s", NETNS_RUN_DIR, strerror(errno));
	if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0 ||
	    mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0)
		die("bind %s onto itself: %s", NETNS_RUN_DIR, strerror(errno));
}

struct create_job {
	const char *name;
	int nsfd, rtnl_fd, err;
	const char *step;
};

static void *create_thread(void *arg)
{
	struct create_job *job = arg;
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, job->name);
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0) {
		job->err = errno, job->step = "create mount point";
		return NULL;
	}
	close(fd);
	if (unshare(CLONE_NEWNET) < 0) {
		job->err = errno, job->step = "unshare";
		return NULL;
	}
	if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0) {
		job->err = errno, job->step = "bind mount";
		return NULL;
	}
	job->nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	job->rtnl_fd = nl_socket(NETLINK_ROUTE);
	return NULL;
}

void netns_create(const char *name, int *nsfd, int *rtnl_fd)
{
	struct create_job job = { .name = name, .nsfd = -1, .rtnl_fd = -1 };
	pthread_t t;
	if (pthread_create(&t, NULL, create_thread, &job) != 0)
		die("pthread_create");
	pthread_join(t, NULL);
	if (job.err)
		die("netns %s: %s: %s", name, job.step, strerror(job.err));
	*nsfd = job.nsfd;
	*rtnl_fd = job.rtnl_fd;
}

struct socket_job {
	const char *path;
	int protocol, fd, err;
};

static void *socket_thread(void *arg)
{
	struct socket_job *job = arg;
	int nsfd = open(job->path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0) {
		job->err = errno;
		return NULL;
	}
	close(nsfd);
	job->fd = nl_socket(job->protocol);
	return NULL;
}

int netns_socket(const char *path, int protocol)
{
	struct socket_job job = { .path = path, .protocol = protocol, .fd = -1 };
	pthread_t t;
	if (pthread_create(&t, NULL, socket_thread, &job) != 0)
		die("pthread_create");
	pthread_join(t, NULL);
	if (job.err)
		die("enter %s: %s", path, strerror(job.err));
	return job.fd;
}

void netns_delete(const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	if (umount2(path, MNT_DETACH) < 0 || unlink(path) < 0)
		die("delete netns %s: %s", name, strerror(errno));
}
