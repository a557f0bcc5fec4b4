/**
 * The throwaway sandbox every benchmark runs in: new network and mount namespaces, a tmpfs on
 * /run (so /run/netns names stay inside), a fresh sysfs (so /sys/class/net shows the sandbox's
 * links), lo up — the recipe of scripts/test.mjs. Nothing reaches the host's network.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const NETNS_DIR = '/run/netns';
const RUN_TMPFS = 'netns-ts-bench-run';

/** True inside the sandbox made by {@link reexecInSandbox} (checked, not just trusted). */
export function inSandbox() {
  if (process.env.NETNS_TS_BENCH_SANDBOX !== '1') return false;
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
  return mounts.split('\n').some((line) => line.includes(' /run ') && line.includes(` - tmpfs ${RUN_TMPFS} `));
}

/**
 * Re-runs this node script (same arguments and Node flags) inside a fresh sandbox and returns its exit
 * status. Needs root and unshare(1).
 */
export function reexecInSandbox(script, args, cwd) {
  const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
  const inner = [
    'set -e',
    `mount -t tmpfs ${RUN_TMPFS} /run`,
    'mkdir -p /run/netns',
    'mount -t sysfs netns-ts-bench-sys /sys',
    'ip link set lo up',
    // Node's own flags too (--single-threaded, --max-semi-space-size…): the run is about them.
    `exec ${[process.execPath, ...process.execArgv, script, ...args].map(q).join(' ')}`,
  ].join('\n');
  const r = spawnSync('unshare', ['--net', '--mount', '--propagation', 'private', '--', 'sh', '-c', inner], {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, NETNS_TS_BENCH_SANDBOX: '1' },
  });
  if (r.error) throw r.error;
  return r.status ?? 1;
}
