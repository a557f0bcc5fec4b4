/*
 * tun/tap devices. The kernel makes them with the TUNSETIFF ioctl on
 * /dev/net/tun and refuses RTM_NEWLINK of kind "tun", so this is the one link
 * kind created outside netlink.
 *
 * The device lands in the network namespace /dev/net/tun was opened in, so the
 * open and the ioctls run on a namespace thread (nsthread.c). The device is
 * made persistent last: until then it belongs to the open fd, so a failure at
 * any step (owner, group, persist) closes the fd and the kernel removes the
 * half-made device. A persistent device lives like any link afterwards (set
 * up, addressed, deleted with RTM_DELLINK).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "netns_native.h"

#define TUN_DEVICE "/dev/net/tun"

struct tun_job {
	char name[IFNAMSIZ]; /* in: requested name; out: the name the kernel gave */
	int flags;           /* IFF_TUN or IFF_TAP, and IFF_NO_PI, IFF_VNET_HDR, IFF_MULTI_QUEUE */
	int64_t owner;       /* uid, or -1 for none */
	int64_t group;       /* gid, or -1 for none */
};

static int tun_create_step(void *opaque, const char **syscall)
{
	struct tun_job *job = opaque;
	struct ifreq ifr;
	int fd, err = 0;

	fd = open(TUN_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		*syscall = "open " TUN_DEVICE;
		return errno;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, job->name, IFNAMSIZ);
	ifr.ifr_flags = (short)job->flags;
	if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
		err = errno;
		*syscall = "ioctl TUNSETIFF";
	} else if (job->owner >= 0 && ioctl(fd, TUNSETOWNER, (unsigned long)job->owner) != 0) {
		err = errno;
		*syscall = "ioctl TUNSETOWNER";
	} else if (job->group >= 0 && ioctl(fd, TUNSETGROUP, (unsigned long)job->group) != 0) {
		err = errno;
		*syscall = "ioctl TUNSETGROUP";
	} else if (ioctl(fd, TUNSETPERSIST, 1UL) != 0) {
		err = errno;
		*syscall = "ioctl TUNSETPERSIST";
	} else {
		memcpy(job->name, ifr.ifr_name, IFNAMSIZ);
		job->name[IFNAMSIZ - 1] = '\0';
	}
	close(fd);
	return err;
}

/* Reads an owner/group argument: an integer from -1 (none) to 2^32 - 2. */
static bool arg_id(napi_env env, napi_value value, const char *what, int64_t *out)
{
	if (napi_get_value_int64(env, value, out) != napi_ok || *out < -1 || *out > 0xfffffffeLL) {
		throw_type(env, what);
		return false;
	}
	return true;
}

/* tunCreate(netnsFd, name, flags, owner, group) -> the device's name. */
napi_value js_tun_create(napi_env env, napi_callback_info info)
{
	napi_value argv[5], result;
	struct tun_job job;
	int32_t netns_fd, flags;
	char *name = NULL;
	const char *syscall = NULL;
	int err;

	memset(&job, 0, sizeof(job));
	if (!get_args(env, info, 5, argv) ||
	    !arg_int32(env, argv[0], "netnsFd must be an integer", &netns_fd) ||
	    !arg_string(env, argv[1], "name must be a string", &name))
		return NULL;
	if (strlen(name) >= IFNAMSIZ) {
		free(name);
		throw_errno(env, ERANGE, "tun name");
		return NULL;
	}
	memcpy(job.name, name, strlen(name));
	free(name);
	if (!arg_int32(env, argv[2], "flags must be an integer", &flags) ||
	    !arg_id(env, argv[3], "owner must be an integer from -1 to 4294967294", &job.owner) ||
	    !arg_id(env, argv[4], "group must be an integer from -1 to 4294967294", &job.group))
		return NULL;
	job.flags = flags;

	err = run_in_netns_thread(netns_fd, tun_create_step, &job, &syscall);
	if (err != 0) {
		throw_errno(env, err, syscall);
		return NULL;
	}
	if (napi_create_string_utf8(env, job.name, NAPI_AUTO_LENGTH, &result) != napi_ok)
		return NULL;
	return result;
}
