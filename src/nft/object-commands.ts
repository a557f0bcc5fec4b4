/**
 * Commands on stateful objects (named counters, quotas, limits …). Pure: nothing is sent.
 */
import { NlmFlags } from '../netlink/constants.js';
import { ValidationError } from '../netlink/errors.js';
import type { TableFamily } from './constants.js';
import type { NftCommand } from './command.js';
import { objectDataAttributes, type ModelledObjectType, type NftObject, type ObjectData } from './object.js';
import type { AddOptions } from './table-commands.js';
import { checkComment, checkFamily, checkName } from './validate.js';

export type ObjectSpec = {
  [T in ModelledObjectType]: { family: TableFamily; table: string; name: string; type: T; data?: ObjectData<T>; comment?: string };
}[ModelledObjectType];

export interface ObjectRef {
  family: TableFamily;
  table: string;
  name: string;
  type: ModelledObjectType;
}

function checkType(type: unknown): ModelledObjectType {
  if (typeof type !== 'string' || !Object.hasOwn(objectDataAttributes, type)) {
    throw new ValidationError('type', `must be one of ${Object.keys(objectDataAttributes).join(', ')}`, type);
  }
  return type as ModelledObjectType;
}

/** `add counter|quota|limit|… FAMILY TABLE NAME { … }` */
export function addObject(spec: ObjectSpec, options: AddOptions = {}): NftCommand {
  const family = checkFamily(spec.family);
  const type = checkType(spec.type);
  // The kernel requires NFTA_OBJ_DATA; nft starts a counter with explicit zeros.
  const data = spec.data ?? (type === 'counter' ? { bytes: 0n, packets: 0n } : {});
  const attributes = { table: checkName(spec.table, 'table'), name: checkName(spec.name, 'name'), type, data } as NftObject;
  if (spec.comment !== undefined) attributes.userdata = [{ type: 'comment', value: checkComment(spec.comment, 'comment') }];
  let flags: number = NlmFlags.NLM_F_CREATE;
  if (options.exclusive) flags |= NlmFlags.NLM_F_EXCL;
  if (options.echo) flags |= NlmFlags.NLM_F_ECHO;
  return { type: 'NFT_MSG_NEWOBJ', family, flags, attributes };
}

/** `delete counter|quota|… FAMILY TABLE NAME` (or, with `ifExists`, `destroy`). */
export function deleteObject(ref: ObjectRef, options: { ifExists?: boolean } = {}): NftCommand {
  const family = checkFamily(ref.family);
  return {
    type: options.ifExists ? 'NFT_MSG_DESTROYOBJ' : 'NFT_MSG_DELOBJ',
    family,
    attributes: { table: checkName(ref.table, 'table'), name: checkName(ref.name, 'name'), type: checkType(ref.type) } as NftObject,
  };
}
