/**
 * What the lowering of one rule's statements shares: where the rule goes, the protocol
 * context so far, the anonymous sets it created, and lookups into the rest of the batch.
 */
import type { NftCommand } from '../../command.js';
import type { SetLiteral, SetReference, SetElementNode } from '../ast.js';
import { anonymousSet, type MapData, type SetTarget } from './anonymous-sets.js';
import type { ProtocolContext } from './context.js';
import type { Key } from './keys.js';
import type { SetDescription } from './set-declarations.js';

export interface RuleState extends SetTarget {
  context: ProtocolContext;
  /** NEWSET/NEWSETELEM commands of the rule's anonymous sets, in the order created. */
  sets: NftCommand[];
  /** The id of a named set added earlier in the same batch (lookups then name it by id too). */
  namedSetId(name: string): number | undefined;
  /** What a named set holds (declared in the batch or read from the kernel), if known. */
  namedSet(name: string): SetDescription | undefined;
}

/** The set a lookup refers to: by name, and by id when it is created in the same batch. */
export function setReference(state: RuleState, key: Key, map: SetLiteral | SetReference, data: MapData | undefined): { set: string; setId?: number } {
  if (map.kind === 'setref') {
    const id = state.namedSetId(map.name);
    return id === undefined ? { set: map.name } : { set: map.name, setId: id };
  }
  const elements: readonly SetElementNode[] = map.elements;
  const anonymous = anonymousSet(key, elements, data, state);
  state.sets.push(...anonymous.commands);
  return { set: anonymous.name, setId: anonymous.id };
}
