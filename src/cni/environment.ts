/**
 * The CNI_* environment of one invocation, read and checked: which command, which container
 * and interface, the namespace path, CNI_ARGS (`K=V;K2=V2`) and the CNI_PATH search list.
 * Every problem is CniError 4 naming the variable.
 */
import { ValidationError } from '../netlink/errors.js';
import { validateLinkName } from '../route/link-validate.js';
import { CniError, CniErrorCode } from './errors.js';
import { COMMANDS, type CniCommand } from './versions.js';

export interface CniEnvironment {
  command: CniCommand;
  /** CNI_CONTAINERID (ADD, DEL, CHECK). */
  containerId?: string;
  /** CNI_NETNS: path of the container's network namespace; may be absent on DEL. */
  netns?: string;
  /** CNI_IFNAME: the interface name inside the container. */
  ifname?: string;
  /** CNI_ARGS as key/value pairs, in order. */
  args: Array<[string, string]>;
  /** CNI_PATH split on ':', empty entries dropped. */
  path: string[];
}

/**
 * Variables each command requires (the spec's lists). CNI_PATH is optional for ADD, DEL and
 * CHECK in the spec; it is needed only to find the IPAM plugin, which says so if it is empty.
 */
const REQUIRED: Record<CniCommand, ReadonlyArray<'CNI_CONTAINERID' | 'CNI_NETNS' | 'CNI_IFNAME' | 'CNI_PATH'>> = {
  ADD: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME'],
  CHECK: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME'],
  DEL: ['CNI_CONTAINERID', 'CNI_IFNAME'],
  GC: ['CNI_PATH'],
  STATUS: ['CNI_PATH'],
  VERSION: [],
};

/** The spec's container id: alphanumeric first, then alphanumerics, `_`, `.` or `-`. */
const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** CNI_ARGS keys and values: printable, without the separators. */
const ARG_TEXT = /^[^;=\s]+$/;
const ARG_VALUE = /^[^;\s]*$/;

function invalid(variable: string, why: string): CniError {
  return new CniError(CniErrorCode.InvalidEnvironment, `${variable} ${why}`, variable);
}

/** `FOO=BAR;ABC=123` → [['FOO','BAR'], ['ABC','123']]. */
export function parseCniArgs(text: string | undefined): Array<[string, string]> {
  if (text === undefined || text === '') return [];
  const out: Array<[string, string]> = [];
  for (const pair of text.split(';')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? undefined : pair.slice(eq + 1);
    if (value === undefined || !ARG_TEXT.test(key) || !ARG_VALUE.test(value)) throw invalid('CNI_ARGS', `has a malformed pair ${JSON.stringify(pair)} (want KEY=VALUE;KEY=VALUE)`);
    out.push([key, value]);
  }
  return out;
}

/**
 * Read the environment of one invocation.
 * @throws CniError 4 for a missing or malformed variable (the message names it)
 */
export function readEnvironment(env: Readonly<Record<string, string | undefined>>): CniEnvironment {
  const command = env.CNI_COMMAND;
  if (command === undefined || command === '') throw invalid('CNI_COMMAND', 'is not set');
  if (!(COMMANDS as string[]).includes(command)) throw invalid('CNI_COMMAND', `is ${JSON.stringify(command)}: want one of ${COMMANDS.join(', ')}`);
  const cmd = command as CniCommand;
  const missing = REQUIRED[cmd].filter((name) => env[name] === undefined || env[name] === '');
  if (missing.length > 0) throw new CniError(CniErrorCode.InvalidEnvironment, `required environment variables missing: ${missing.join(', ')}`, missing.join(','));
  const out: CniEnvironment = {
    command: cmd,
    args: parseCniArgs(env.CNI_ARGS),
    path: (env.CNI_PATH ?? '').split(':').filter((p) => p !== ''),
  };
  const containerId = env.CNI_CONTAINERID;
  if (containerId !== undefined && containerId !== '') {
    if (!CONTAINER_ID.test(containerId)) throw invalid('CNI_CONTAINERID', `is ${JSON.stringify(containerId)}: it must start with a letter or digit, followed by letters, digits, '_', '.' or '-'`);
    out.containerId = containerId;
  }
  const ifname = env.CNI_IFNAME;
  if (ifname !== undefined && ifname !== '') {
    try {
      validateLinkName(ifname, 'CNI_IFNAME');
    } catch (err) {
      if (err instanceof ValidationError) throw new CniError(CniErrorCode.InvalidEnvironment, err.message, 'CNI_IFNAME');
      throw err;
    }
    out.ifname = ifname;
  }
  const netns = env.CNI_NETNS;
  if (netns !== undefined && netns !== '') {
    if (!netns.startsWith('/') || netns.includes('\0')) throw invalid('CNI_NETNS', `is ${JSON.stringify(netns)}: want an absolute path to a network namespace`);
    out.netns = netns;
  }
  return out;
}

/** The value a command requires (readEnvironment already checked presence). */
export function required<K extends 'containerId' | 'netns' | 'ifname'>(env: CniEnvironment, key: K): string {
  const v = env[key];
  if (v === undefined) throw invalid(key === 'containerId' ? 'CNI_CONTAINERID' : key === 'netns' ? 'CNI_NETNS' : 'CNI_IFNAME', 'is not set');
  return v;
}
