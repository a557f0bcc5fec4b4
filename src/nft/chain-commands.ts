/**
 * Commands on chains. A base chain needs a type, a hook and a priority (and for the netdev
 * family a device); a regular chain has none of them. Pure: nothing is sent.
 */
import { NlmFlags } from '../netlink/constants.js';
import { ValidationError } from '../netlink/errors.js';
import type { ChainAttributes, ChainPolicy, ChainType, HookAttributes } from './chain.js';
import { CHAIN_TYPES } from './chain.js';
import type { TableFamily } from './constants.js';
import type { NftCommand } from './command.js';
import { hookNumber, priorityNumber, type HookName, type PriorityName } from './hooks.js';
import type { AddOptions } from './table-commands.js';
import { checkComment, checkFamily, checkHandle, checkName, checkOneOf } from './validate.js';

export interface ChainSpec {
  family: TableFamily;
  table: string;
  name: string;
  /** Base chains only: `filter`, `nat` or `route`. */
  type?: ChainType;
  hook?: HookName;
  priority?: number | PriorityName;
  /** Base chains only; the kernel's default is accept. */
  policy?: ChainPolicy;
  /** netdev base chains: the device to attach to. */
  device?: string;
  /** netdev base chains: several devices. */
  devices?: string[];
  comment?: string;
}

export type ChainRef = { family: TableFamily; table: string; name: string } | { family: TableFamily; table: string; handle: bigint };

const IFNAME_MAX_BYTES = 15;

function checkDevice(name: unknown, path: string): string {
  if (typeof name !== 'string' || name.length === 0 || Buffer.byteLength(name) > IFNAME_MAX_BYTES || /[\0/\s:]/.test(name)) {
    throw new ValidationError(path, `must be an interface name of 1 to ${IFNAME_MAX_BYTES} bytes without '/', ':', NUL or whitespace`, name);
  }
  return name;
}

function baseChainHook(spec: ChainSpec, family: TableFamily): HookAttributes {
  const hook: HookAttributes = { hooknum: hookNumber(family, spec.hook!, 'hook'), priority: priorityNumber(family, spec.priority!, 'priority') };
  if (spec.device !== undefined && spec.devices !== undefined) throw new ValidationError('devices', 'give device or devices, not both', spec.devices);
  if (spec.device !== undefined) hook.device = checkDevice(spec.device, 'device');
  if (spec.devices !== undefined) {
    if (!Array.isArray(spec.devices) || spec.devices.length === 0) throw new ValidationError('devices', 'must be a non-empty array of interface names', spec.devices);
    hook.devices = { name: spec.devices.map((d, i) => checkDevice(d, `devices[${i}]`)) };
  }
  if (family === 'netdev' && hook.device === undefined && hook.devices === undefined) throw new ValidationError('device', 'a netdev base chain needs a device (or devices)', undefined);
  if (family !== 'netdev' && (hook.device !== undefined || hook.devices !== undefined) && !(family === 'inet' && spec.hook === 'ingress')) {
    throw new ValidationError('device', `devices apply to netdev chains (and inet ingress), not ${family} ${String(spec.hook)}`, spec.device ?? spec.devices);
  }
  return hook;
}

/**
 * Which hooks each chain type may use (net/netfilter/nft_chain_nat.c, nft_chain_route.c): the
 * kernel answers EOPNOTSUPP otherwise — better said before sending.
 */
const TYPE_HOOKS: Partial<Record<string, { families: readonly TableFamily[]; hooks: readonly string[] }>> = {
  nat: { families: ['ip', 'ip6', 'inet'], hooks: ['prerouting', 'input', 'output', 'postrouting'] },
  route: { families: ['ip', 'ip6', 'inet'], hooks: ['output'] },
};

function checkChainTypeHook(family: TableFamily, type: string, hook: string): void {
  const allowed = TYPE_HOOKS[type];
  if (!allowed) return;
  if (!allowed.families.includes(family)) throw new ValidationError('type', `${type} chains exist only in ${allowed.families.join(', ')} tables, not ${family}`, type);
  if (!allowed.hooks.includes(hook)) throw new ValidationError('hook', `a ${type} chain cannot use the ${hook} hook (only ${allowed.hooks.join(', ')})`, hook);
}

/** `add chain FAMILY TABLE NAME [{ type T hook H priority P; policy X; }]` */
export function addChain(spec: ChainSpec, options: AddOptions = {}): NftCommand {
  const family = checkFamily(spec.family);
  const attributes: ChainAttributes = { table: checkName(spec.table, 'table'), name: checkName(spec.name, 'name') };
  const base = spec.type !== undefined || spec.hook !== undefined || spec.priority !== undefined;
  if (base) {
    if (spec.type === undefined || spec.hook === undefined || spec.priority === undefined) {
      throw new ValidationError(spec.type === undefined ? 'type' : spec.hook === undefined ? 'hook' : 'priority', 'a base chain needs type, hook and priority together', undefined);
    }
    // Attribute order as nft writes it: type, policy, hook.
    attributes.type = checkOneOf(spec.type, CHAIN_TYPES, 'type');
    checkChainTypeHook(family, spec.type, spec.hook);
    if (spec.policy !== undefined) attributes.policy = checkOneOf(spec.policy, ['accept', 'drop'] as const, 'policy');
    attributes.hook = baseChainHook(spec, family);
  } else if (spec.policy !== undefined || spec.device !== undefined || spec.devices !== undefined) {
    throw new ValidationError(spec.policy !== undefined ? 'policy' : 'device', 'only base chains (with type, hook and priority) have a policy or devices', spec.policy ?? spec.device);
  }
  if (spec.comment !== undefined) attributes.userdata = [{ type: 'comment', value: checkComment(spec.comment, 'comment') }];
  let flags: number = NlmFlags.NLM_F_CREATE;
  if (options.exclusive) flags |= NlmFlags.NLM_F_EXCL;
  if (options.echo) flags |= NlmFlags.NLM_F_ECHO;
  return { type: 'NFT_MSG_NEWCHAIN', family, flags, attributes };
}

function chainRefAttributes(ref: ChainRef): ChainAttributes {
  checkFamily(ref.family);
  const table = checkName(ref.table, 'table');
  if ('handle' in ref && ref.handle !== undefined) return { table, handle: checkHandle(ref.handle, 'handle') };
  return { table, name: checkName((ref as { name: string }).name, 'name') };
}

/** `delete chain` (the chain must be empty and unreferenced) or, with `ifExists`, `destroy chain`. */
export function deleteChain(ref: ChainRef, options: { ifExists?: boolean } = {}): NftCommand {
  return { type: options.ifExists ? 'NFT_MSG_DESTROYCHAIN' : 'NFT_MSG_DELCHAIN', family: ref.family, attributes: chainRefAttributes(ref) };
}

/** `flush chain`: delete every rule in the chain. */
export function flushChain(ref: { family: TableFamily; table: string; name: string }): NftCommand {
  checkFamily(ref.family);
  return { type: 'NFT_MSG_DELRULE', family: ref.family, attributes: { table: checkName(ref.table, 'table'), chain: checkName(ref.name, 'name') } };
}
