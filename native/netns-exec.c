/*
 * netns-exec: run a program inside a network namespace.
 *
 *   netns-exec [--name NAME] NSPATH -- PROGRAM [ARGS...]
 *   netns-exec [--name NAME] --fd N -- PROGRAM [ARGS...]
 *
 * A process cannot safely setns() one of its own threads from Node, and
 * fork() in a Node process is not an option, so a child process switches
 * namespace itself and then becomes PROGRAM: no fork, exec in place, so the
 * caller's pid, stdio, signals and exit status are PROGRAM's own.
 *
 * With --name it behaves like `ip netns exec NAME`: a private mount
 * namespace (changes never propagate back), a fresh /sys that describes the
 * namespace, and each /etc/netns/NAME/FILE bind-mounted over /etc/FILE.
 * With --fd N the namespace is an fd the parent passed in (closed before
 * the exec, so PROGRAM does not inherit it).
 *
 * Exit codes of its own, as in env(1)/timeout(1): 125 setup failed,
 * 126 PROGRAM found but not executable, 127 PROGRAM not found.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define EXIT_SETUP 125
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND 127

#define ETC_NETNS_DIR "/etc/netns"

static void usage(void)
{
	fprintf(stderr, "usage: netns-exec [--name NAME] (NSPATH | --fd N) -- PROGRAM [ARGS...]\n");
	exit(EXIT_SETUP);
}

/* One line naming the step and the errno, then exit 125. */
static void fail(const char *step, const char *what)
{
	int err = errno;
	const char *code = strerrorname_np(err);
	fprintf(stderr, "netns-exec: %s %s: %s (%s)\n", step, what, code != NULL ? code : "?",
		strerror(err));
	exit(EXIT_SETUP);
}

static bool name_is_component(const char *name)
{
	return name[0] != '\0' && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

/* Like iproute2: for each /etc/netns/NAME/FILE, bind it over /etc/FILE.
 * A missing /etc/netns/NAME or a missing target is simply skipped; any other
 * failure is reported but not fatal, as `ip netns exec` does. */
static void bind_etc(const char *name)
{
	char dir[PATH_MAX], source[PATH_MAX], target[PATH_MAX];
	struct dirent *entry;
	DIR *d;

	if (snprintf(dir, sizeof(dir), "%s/%s", ETC_NETNS_DIR, name) >= (int)sizeof(dir))
		return;
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((entry = readdir(d)) != NULL) {
		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		if (snprintf(source, sizeof(source), "%s/%s", dir, entry->d_name) >=
			    (int)sizeof(source) ||
		    snprintf(target, sizeof(target), "/etc/%s", entry->d_name) >= (int)sizeof(target))
			continue;
		if (mount(source, target, "none", MS_BIND, NULL) != 0 && errno != ENOENT)
			fprintf(stderr, "netns-exec: warning: bind %s -> %s: %s\n", source, target,
				strerror(errno));
	}
	closedir(d);
}

/* The steps of `ip netns exec` after setns(): see the file comment. */
static void isolate_mounts(const char *name)
{
	unsigned long flags = 0;
	struct statvfs st;

	if (unshare(CLONE_NEWNS) != 0)
		fail("unshare", "CLONE_NEWNS");
	/* Slave, not private: host mounts still reach us, ours never leave. */
	if (mount("", "/", NULL, MS_SLAVE | MS_REC, NULL) != 0)
		fail("mount", "/ (MS_SLAVE)");
	/* sysfs shows the network namespace of whoever mounts it, so the
	 * inherited /sys describes the wrong one. If it cannot be detached,
	 * overlay it (read-only if it was, as a read-write sysfs cannot shadow a
	 * read-only one). */
	if (umount2("/sys", MNT_DETACH) != 0 && statvfs("/sys", &st) == 0 &&
	    (st.f_flag & ST_RDONLY))
		flags = MS_RDONLY;
	if (mount(name, "/sys", "sysfs", flags, NULL) != 0)
		fail("mount", "/sys");
	bind_etc(name);
}

static int parse_fd(const char *text)
{
	char *end;
	long v;
	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < 0 || v > INT_MAX)
		usage();
	return (int)v;
}

int main(int argc, char **argv)
{
	const char *name = NULL, *path = NULL;
	int i = 1, fd = -1;

	for (; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
			name = argv[++i];
		} else if (strcmp(argv[i], "--fd") == 0 && i + 1 < argc) {
			fd = parse_fd(argv[++i]);
		} else if (argv[i][0] != '-' && path == NULL) {
			path = argv[i];
		} else {
			usage();
		}
	}
	if (i >= argc || (path == NULL) == (fd < 0))
		usage();
	if (name != NULL && !name_is_component(name)) {
		fprintf(stderr, "netns-exec: invalid namespace name '%s'\n", name);
		exit(EXIT_SETUP);
	}

	if (path != NULL) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			fail("open", path);
	}
	if (setns(fd, CLONE_NEWNET) != 0)
		fail("setns", path != NULL ? path : "fd");
	close(fd);
	if (name != NULL)
		isolate_mounts(name);

	execvp(argv[i], argv + i);
	{
		int err = errno;
		fprintf(stderr, "netns-exec: %s: %s\n", argv[i], strerror(err));
		exit(err == ENOENT || err == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
	}
}
