/**
 * Every expression this version models, in one explicit table, and the lookup by kernel name.
 * Names not in the table decode to the opaque variant (see expression.ts). The table is built
 * on first use, so importing any one expression module never depends on import order.
 */
import { bitwise } from './bitwise.js';
import { cmp } from './cmp.js';
import { counter } from './counter.js';
import { ct } from './ct.js';
import type { ExpressionDefinition } from './definition.js';
import { dynset } from './dynset.js';
import { exthdr } from './exthdr.js';
import { fib } from './fib.js';
import { immediate } from './immediate.js';
import { limit } from './limit.js';
import { log } from './log.js';
import { lookup } from './lookup.js';
import { masq } from './masq.js';
import { meta } from './meta.js';
import { nat } from './nat.js';
import { notrack } from './notrack.js';
import { objref } from './objref.js';
import { payload } from './payload.js';
import { quota } from './quota.js';
import { range } from './range.js';
import { redir } from './redir.js';
import { reject } from './reject.js';

/** The modelled expressions. */
export function expressionDefinitions() {
  return [
    payload, cmp, meta, immediate, bitwise, range, lookup, ct, nat, masq, redir,
    counter, limit, log, reject, fib, exthdr, quota, notrack, dynset, objref,
  ] as const;
}

/** One of the modelled definitions. */
export type ModelledDefinition = ReturnType<typeof expressionDefinitions>[number];

let byName: ReadonlyMap<string, ExpressionDefinition> | undefined;

/** The definition for a kernel expression name, or undefined for names this version does not model. */
export function expressionDefinition(name: string): ExpressionDefinition | undefined {
  byName ??= new Map(expressionDefinitions().map((d) => [d.name, d as unknown as ExpressionDefinition]));
  return byName.get(name);
}
