/**
 * The attribute policy the kernel reports with a validation failure (NLMSGERR_ATTR_POLICY,
 * enum netlink_policy_type_attr), so an error can say what was expected: "a string of at
 * most 15 bytes" rather than just ERANGE.
 */
import { defineAttributeSet, type AttributeValues } from './attribute-set.js';
import { enumOf, s64, u32, u64 } from './fields.js';

/** enum netlink_attribute_type */
export const NlAttrType = {
  invalid: 0, flag: 1, u8: 2, u16: 3, u32: 4, u64: 5, s8: 6, s16: 7, s32: 8, s64: 9,
  binary: 10, string: 11, 'nul-string': 12, nested: 13, 'nested-array': 14, bitfield32: 15, sint: 16, uint: 17,
} as const;

export const policyAttributes = defineAttributeSet('policy', {
  type: { type: 1, codec: enumOf(u32, NlAttrType) }, // NL_POLICY_TYPE_ATTR_TYPE
  minValueSigned: { type: 2, codec: s64 }, // NL_POLICY_TYPE_ATTR_MIN_VALUE_S
  maxValueSigned: { type: 3, codec: s64 }, // NL_POLICY_TYPE_ATTR_MAX_VALUE_S
  minValue: { type: 4, codec: u64 }, // NL_POLICY_TYPE_ATTR_MIN_VALUE_U
  maxValue: { type: 5, codec: u64 }, // NL_POLICY_TYPE_ATTR_MAX_VALUE_U
  minLength: { type: 6, codec: u32 }, // NL_POLICY_TYPE_ATTR_MIN_LENGTH
  maxLength: { type: 7, codec: u32 }, // NL_POLICY_TYPE_ATTR_MAX_LENGTH
  policyIndex: { type: 8, codec: u32 }, // NL_POLICY_TYPE_ATTR_POLICY_IDX
  policyMaxType: { type: 9, codec: u32 }, // NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE
  bitfield32Mask: { type: 10, codec: u32 }, // NL_POLICY_TYPE_ATTR_BITFIELD32_MASK
  mask: { type: 12, codec: u64 }, // NL_POLICY_TYPE_ATTR_MASK
});
export type AttributePolicy = AttributeValues<typeof policyAttributes.specs>;

/** "a string of at most 15 bytes", "a u16 from 1 to 4094" … */
export function describePolicy(p: AttributePolicy): string {
  const type = typeof p.type === 'string' ? p.type : p.type === undefined ? 'value' : `type ${p.type}`;
  const parts: string[] = [];
  const article = /^[aeiou]/.test(type) ? 'an' : 'a';
  if (p.minLength !== undefined && p.maxLength !== undefined) parts.push(`of ${p.minLength} to ${p.maxLength} bytes`);
  else if (p.maxLength !== undefined) parts.push(`of at most ${p.maxLength} bytes`);
  else if (p.minLength !== undefined) parts.push(`of at least ${p.minLength} bytes`);
  const min = p.minValue ?? p.minValueSigned;
  const max = p.maxValue ?? p.maxValueSigned;
  if (min !== undefined && max !== undefined) parts.push(`from ${min} to ${max}`);
  if (p.mask !== undefined) parts.push(`with only bits 0x${p.mask.toString(16)} set`);
  if (p.bitfield32Mask !== undefined) parts.push(`with only bits 0x${p.bitfield32Mask.toString(16)} set`);
  return [`${article} ${type}`, ...parts].join(' ');
}
