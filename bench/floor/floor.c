/* Command dispatch for the floor; see floor.h and bench/README.md. */
#include "floor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned parse_count(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v == 0 || v > 1000000)
		die("bad count %s", s);
	return (unsigned)v;
}

/* Milliseconds, 0 allowed. */
static unsigned parse_pause(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v > 10000)
		die("bad pause %s (0-10000 ms)", s);
	return (unsigned)v;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: floor topology-setup N | topology-teardown N\n"
		"       floor dump links|addresses|routes|neighbours NETNS\n"
		"       floor nft-load N | nft-list\n"
		"       floor request-loop N | request-idle N PAUSE_MS\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	const char *cmd = argv[1];
	if (strcmp(cmd, "topology-setup") == 0 && argc == 3)
		return cmd_topology_setup(parse_count(argv[2]));
	if (strcmp(cmd, "topology-teardown") == 0 && argc == 3)
		return cmd_topology_teardown(parse_count(argv[2]));
	if (strcmp(cmd, "dump") == 0 && argc == 4)
		return cmd_dump(argv[2], argv[3]);
	if (strcmp(cmd, "nft-load") == 0 && argc == 3)
		return cmd_nft_load(parse_count(argv[2]));
	if (strcmp(cmd, "nft-list") == 0 && argc == 2)
		return cmd_nft_list();
	if (strcmp(cmd, "request-loop") == 0 && argc == 3)
		return cmd_request_loop(parse_count(argv[2]));
	if (strcmp(cmd, "request-idle") == 0 && argc == 4)
		return cmd_request_idle(parse_count(argv[2]), parse_pause(argv[3]));
	usage();
}
