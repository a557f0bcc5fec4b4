/**
 * What this plugin remembers per attachment, one JSON file each under
 * `DATA_DIR/NETWORK/ID.json`: written before anything is created (so GC and DEL know about an
 * ADD that died half-way) and completed at the end of ADD. DEL and GC work without it too
 * (every name derives from the attachment id), but the file tells them the container's
 * addresses and port mappings, whose connection-tracking entries they flush.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PortMapping } from './port-mappings.js';

export interface AttachmentState {
  network: string;
  containerId: string;
  ifname: string;
  id: string;
  netns?: string;
  bridge: string;
  hostVeth: string;
  /** Container addresses with prefix length, once IPAM answered. */
  addresses: string[];
  portMappings: PortMapping[];
  /** False while ADD is in progress (or died). */
  complete: boolean;
}

const STATE_SUFFIX = '.json';

function networkDir(dataDir: string, network: string): string {
  return join(dataDir, network);
}

export function statePath(dataDir: string, network: string, id: string): string {
  return join(networkDir(dataDir, network), `${id}${STATE_SUFFIX}`);
}

/** The lock shared by every network using this data directory (they share one table). */
export function lockPath(dataDir: string): string {
  return join(dataDir, 'lock');
}

/** Write atomically (temporary file + rename): readers never see half a file. */
export function writeState(dataDir: string, state: AttachmentState): void {
  const dir = networkDir(dataDir, state.network);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = statePath(dataDir, state.network, state.id);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

export function readState(dataDir: string, network: string, id: string): AttachmentState | undefined {
  try {
    return JSON.parse(readFileSync(statePath(dataDir, network, id), 'utf8')) as AttachmentState;
  } catch {
    // Missing or unreadable: DEL and GC then work from derived names alone.
    return undefined;
  }
}

export function removeState(dataDir: string, network: string, id: string): void {
  try {
    unlinkSync(statePath(dataDir, network, id));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Every attachment recorded for `network`. */
export function listStates(dataDir: string, network: string): AttachmentState[] {
  let names: string[];
  try {
    names = readdirSync(networkDir(dataDir, network));
  } catch {
    return [];
  }
  const out: AttachmentState[] = [];
  for (const name of names) {
    if (!name.endsWith(STATE_SUFFIX)) continue;
    const s = readState(dataDir, network, name.slice(0, -STATE_SUFFIX.length));
    if (s) out.push(s);
  }
  return out;
}
