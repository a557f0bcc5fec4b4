/**
 * Commands on tables: add/create, delete/destroy, flush. Pure: they validate the input and
 * return a command value; nothing is sent.
 */
import { NlmFlags } from '../netlink/constants.js';
import { ValidationError } from '../netlink/errors.js';
import { NftTableFlags, type TableFamily } from './constants.js';
import type { NftCommand } from './command.js';
import type { TableAttributes, TableFlag } from './table.js';
import { checkComment, checkFamily, checkHandle, checkName } from './validate.js';

export interface TableSpec {
  family: TableFamily;
  name: string;
  /**
   * `dormant`: hooks detached, rules inactive. `owner`: the table lives exactly as long as the
   * netlink socket that created it (and only that socket may change it). `persist`: with
   * `owner`, survive the socket (ownership released).
   */
  flags?: TableFlag[];
  comment?: string;
}

/** A table by name, or by the handle the kernel gave it. */
export type TableRef = { family: TableFamily; name: string } | { family: TableFamily; handle: bigint };

export interface AddOptions {
  /** Fail with EEXIST if it exists (nft's `create`); default: update or no-op (nft's `add`). */
  exclusive?: boolean;
  /** Ask the kernel to echo the created object back (handles, NLM_F_ECHO). */
  echo?: boolean;
}

function tableFlags(flags: unknown): TableFlag[] {
  if (!Array.isArray(flags)) throw new ValidationError('flags', 'must be an array of table flags', flags);
  for (const f of flags) if (!Object.hasOwn(NftTableFlags, f)) throw new ValidationError('flags', `unknown table flag '${String(f)}' (one of ${Object.keys(NftTableFlags).join(', ')})`, f);
  return flags as TableFlag[];
}

export function tableRefAttributes(ref: TableRef): TableAttributes {
  checkFamily(ref.family);
  if ('handle' in ref && ref.handle !== undefined) return { handle: checkHandle(ref.handle, 'handle') };
  return { name: checkName((ref as { name: string }).name, 'name') };
}

/** `add table FAMILY NAME { flags …; comment … }` */
export function addTable(spec: TableSpec, options: AddOptions = {}): NftCommand {
  const family = checkFamily(spec.family);
  const attributes: TableAttributes = { name: checkName(spec.name, 'name') };
  if (spec.flags !== undefined) attributes.flags = tableFlags(spec.flags);
  if (spec.comment !== undefined) attributes.userdata = [{ type: 'comment', value: checkComment(spec.comment, 'comment') }];
  // nft sends NEWTABLE without NLM_F_CREATE: the kernel creates a missing table either way.
  let flags = options.exclusive ? NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL : 0;
  if (options.echo) flags |= NlmFlags.NLM_F_ECHO;
  return { type: 'NFT_MSG_NEWTABLE', family, flags, attributes };
}

/** `delete table` (ENOENT if missing) or, with `ifExists`, `destroy table`. */
export function deleteTable(ref: TableRef, options: { ifExists?: boolean } = {}): NftCommand {
  return { type: options.ifExists ? 'NFT_MSG_DESTROYTABLE' : 'NFT_MSG_DELTABLE', family: ref.family, attributes: tableRefAttributes(ref) };
}

/** `flush table`: delete every rule of every chain in the table (chains and sets stay). */
export function flushTable(ref: { family: TableFamily; name: string }): NftCommand {
  checkFamily(ref.family);
  return { type: 'NFT_MSG_DELRULE', family: ref.family, attributes: { table: checkName(ref.name, 'name') } };
}
