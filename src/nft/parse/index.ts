/**
 * nft's language for netns-ts: a parser (commands, `nft -f` files, rule statements) and a
 * compiler that turns them into nf_tables batches exactly as nft 1.0.6 builds them — the same
 * expressions, registers, dependencies, payload merging and anonymous sets — plus the
 * `nft --debug=netlink` text of a batch. Pure: nothing here does I/O.
 *
 *   const { commands, source } = parseCommandLine('add rule ip nat post ip saddr 10.0.0.0/24 masquerade');
 *   const { batch } = compileCommands(commands, source);
 *   await applyBatch(connection, { commands: batch });
 */
export { ParseError, caretLines, type Source, type Span } from './errors.js';
export { tokenize, type Token } from './lexer.js';
export type * from './ast.js';
export { parseCommandLine, parseNftFile, parseRuleText } from './parse-commands.js';
export { compileCommands, type CompiledCommands, type CommandCompileOptions, type Origin, type ReadRequest } from './compile/commands.js';
export { compileRule, type CompiledRule, type RuleCompileOptions } from './compile/rule.js';
export type { ValueResolvers } from './compile/datatypes.js';
export { declareSet, describeKernelSet, type SetDescription } from './compile/set-declarations.js';
export { netlinkDebugText } from './netlink-debug.js';
