/**
 * Compiling a rule's statements into the expressions nft would send for them, exactly: the
 * same dependency matches, the same payload merging, the same registers and the same
 * anonymous sets (see match.ts, nat.ts, statements.ts, merge.ts).
 */
import type { NftCommand } from '../../command.js';
import type { TableFamily } from '../../constants.js';
import type { Expression } from '../../expressions/expression.js';
import type { RuleBody } from '../ast.js';
import { ParseError, type Source, type Span } from '../errors.js';
import { CompileError } from './compile-error.js';
import { ProtocolContext } from './context.js';
import type { ValueResolvers } from './datatypes.js';
import type { Ir } from './ir.js';
import { lowerMatch } from './match.js';
import { mergePayloadMatches } from './merge.js';
import { lowerNat } from './nat.js';
import type { RuleState } from './state.js';
import type { SetDescription } from './set-declarations.js';
import { lowerOther } from './statements.js';

export interface RuleCompileOptions {
  family: TableFamily;
  table: string;
  resolvers?: ValueResolvers;
  /** Hands out the batch's set ids (nft numbers the sets of a batch 1, 2, 3 …). */
  nextSetId(): number;
  /** Ids of named sets added earlier in the same batch. */
  namedSetId?(name: string): number | undefined;
  /** What named sets hold (for `dnat to … map @name`, whose values may be an address and a port). */
  namedSet?(name: string): SetDescription | undefined;
}

export interface CompiledRule {
  expressions: Expression[];
  /** The anonymous sets the rule uses, to be added before it in the same batch. */
  sets: NftCommand[];
  /** For each expression, the part of the source it came from (to point at what the kernel refused). */
  origins: Span[];
  comment?: string;
}

function irExpressions(ir: Ir): Expression[] {
  if (ir.kind === 'exprs') return ir.build();
  const p = ir.place;
  return [
    { type: 'payload', dreg: 1, base: p.base, offset: p.offset, len: p.len },
    { type: 'cmp', sreg: 1, op: ir.op, data: { value: ir.value } },
  ];
}

/** Compile a parsed rule. @throws ParseError pointing into `source` */
export function compileRule(body: RuleBody, source: Source, options: RuleCompileOptions): CompiledRule {
  const state: RuleState = {
    family: options.family,
    table: options.table,
    resolvers: options.resolvers ?? {},
    nextSetId: options.nextSetId,
    context: new ProtocolContext(options.family),
    sets: [],
    namedSetId: options.namedSetId ?? (() => undefined),
    namedSet: options.namedSet ?? (() => undefined),
  };
  try {
    const lowered: Ir[] = [];
    for (const statement of body.statements) {
      if (statement.kind === 'match') lowered.push(...lowerMatch(statement, state));
      else if (statement.kind === 'nat') lowered.push(...lowerNat(statement, state));
      else lowered.push(...lowerOther(statement, state));
    }
    const expressions: Expression[] = [];
    const origins: Span[] = [];
    for (const ir of mergePayloadMatches(lowered)) {
      for (const e of irExpressions(ir)) {
        expressions.push(e);
        origins.push(ir.span);
      }
    }
    return { expressions, sets: state.sets, origins, ...(body.comment !== undefined ? { comment: body.comment } : {}) };
  } catch (err) {
    if (err instanceof CompileError) throw new ParseError(err.message, source, err.span, err.context);
    throw err;
  }
}
