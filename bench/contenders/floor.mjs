/**
 * Contender "floor": bench/floor/floor, a small C program (libmnl, libnftnl) doing the same
 * kernel operations as directly as the kernel allows; it times itself. See bench/floor/*.c.
 * A topology setup's `ms` is the mean of as many setups as the warm contender times
 * (../lib/timed-setups.mjs), each a fresh floor process, undone by the floor's own teardown
 * and the kernel left to settle between two.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJson } from '../lib/proc.mjs';
import { tearDownAndSettle } from '../lib/settle.mjs';
import { meanOfTimedRuns, timedSetupCount } from '../lib/timed-setups.mjs';

export const name = 'floor';
export const label = 'C floor (libmnl/libnftnl)';
export const description = 'C with libmnl and libnftnl: the fewest requests the kernel accepts, no decoding beyond walking attributes';

export const FLOOR_BINARY = join(dirname(fileURLToPath(import.meta.url)), '..', 'floor', 'floor');

export async function available() {
  if (!existsSync(FLOOR_BINARY)) return { ok: false, reason: 'bench/floor/floor is not built (make -C bench/floor; needs libmnl-dev libnftnl-dev)' };
  return { ok: true };
}

const floor = (...args) => runJson(FLOOR_BINARY, args.map(String));

export const workloads = {
  topology: {
    setup: ({ n }) =>
      meanOfTimedRuns(
        timedSetupCount(n),
        () => floor('topology-setup', n),
        () => tearDownAndSettle(() => floor('topology-teardown', n), n),
      ),
    teardown: ({ n }) => floor('topology-teardown', n),
  },
  dumps: {
    links: ({ netns }) => floor('dump', 'links', netns),
    addresses: ({ netns }) => floor('dump', 'addresses', netns),
    routes: ({ netns }) => floor('dump', 'routes', netns),
    neighbours: ({ netns }) => floor('dump', 'neighbours', netns),
  },
  nft: {
    load: ({ n }) => floor('nft-load', n),
    // C has one way to load: libnftnl builds every rule. The prepared-rule row compares with it.
    loadPrepared: ({ n }) => floor('nft-load', n),
    list: () => floor('nft-list'),
  },
};

