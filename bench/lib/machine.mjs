/** What the numbers were measured on: recorded with every result file. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

function firstLine(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return (r.stdout || r.stderr).trim().split('\n')[0];
}

function packageVersion(pkg) {
  return firstLine('dpkg-query', ['-W', '-f=${Version}', pkg]);
}

function cpuModel() {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1];
  } catch {
    return undefined;
  }
}

/** @param {Record<string, string | undefined>} extra versions reported by the contenders */
export function describeMachine(extra = {}) {
  return {
    host: os.hostname(),
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: cpuModel(),
    memoryMiB: Math.round(os.totalmem() / 1024 / 1024),
    kernel: os.release(),
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    tools: {
      iproute2: firstLine('ip', ['-V']),
      nftables: firstLine('nft', ['-v']),
      python3: firstLine('/usr/bin/python3', ['--version']),
      pyroute2: packageVersion('python3-pyroute2'),
      libmnl: packageVersion('libmnl-dev'),
      libnftnl: packageVersion('libnftnl-dev'),
      gcc: firstLine('gcc', ['-dumpfullversion']),
      ...extra,
    },
  };
}
