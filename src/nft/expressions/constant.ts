/**
 * Constant expressions: an expression that is the same in every rule that uses it (`meta
 * l4proto`, `cmp eq 6`, `payload load 2b @ transport header + 2`, the nat statement of a port
 * forward) made once, frozen, and encoded once. A batch of 10,000 port forwards has five such
 * expressions in each of its rules; written from their stored bytes (constant-element.ts),
 * they cost a copy instead of an encoding, and building the rules allocates only what differs
 * between them.
 *
 * Frozen is what makes the stored bytes safe to reuse: the object and every object or array
 * inside it cannot change. Byte arrays cannot be frozen, so each one's content is kept too and
 * compared before the stored bytes are used (a few bytes each: a protocol number, a port);
 * if any changed, the expression is encoded as any other, from what it holds now.
 */
import { Writer } from '../../netlink/writer.js';
import { isConstant, storeElement } from './constant-element.js';
import { expressionListCodec, type Expression } from './expression.js';

/** Every byte array inside `value`. */
function byteArraysIn(value: unknown, into: Uint8Array[] = []): Uint8Array[] {
  if (value instanceof Uint8Array) into.push(value);
  else if (value !== null && typeof value === 'object') for (const inner of Object.values(value)) byteArraysIn(inner, into);
  return into;
}

/** Freeze `value` and every plain object and array inside it (byte arrays cannot be). */
function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
  for (const inner of Object.values(value)) deepFreeze(inner);
  Object.freeze(value);
}

/**
 * `expression`, frozen and encoded once (checked as any expression is: a ValidationError if it
 * does not encode). Later changes to its byte arrays are seen (see the module comment); to
 * change anything else, build a new expression (`{ ...e, op: 'neq' }` is an ordinary one).
 */
export function constantExpression<E extends Expression>(expression: E): Readonly<E> {
  if (expression !== null && typeof expression === 'object' && isConstant(expression)) return expression;
  const w = new Writer(64, 0, { spans: false });
  expressionListCodec.encode(w, [expression], 'expression');
  const arrays = byteArraysIn(expression);
  // Stamped before frozen: a private field is added to an object as a property would be.
  storeElement(expression, { element: w.finish().slice(), arrays, contents: arrays.map((a) => a.slice()) });
  deepFreeze(expression);
  return expression;
}
