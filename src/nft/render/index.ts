/**
 * Rendering nf_tables rules in nft syntax, and the tables of names (header fields, meta and ct
 * keys, datatypes and their symbols) a parser can share.
 */
export { renderRule, type RenderOptions } from './rule.js';
export { formatSet, type RenderSet, type RenderSetElement, type DataFormat } from './sets.js';
export * from './datatypes.js';
export * from './fields.js';
export { type ByteOrder, HOST_LITTLE_ENDIAN, toBigInt, fromBigInt } from './bytes.js';
