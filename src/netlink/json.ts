/**
 * A JSON form for decoded values: bytes become `{ "$hex": "…" }` and 64-bit integers
 * `{ "$bigint": "…" }`, so fixtures and the CLI can store and show them losslessly.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value instanceof Uint8Array) return { $hex: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') };
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonValue(v);
    return out;
  }
  return value as JsonValue;
}

export function fromJsonValue(value: JsonValue): unknown {
  if (Array.isArray(value)) return value.map(fromJsonValue);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && typeof value.$hex === 'string') return new Uint8Array(Buffer.from(value.$hex, 'hex'));
    if (keys.length === 1 && typeof value.$bigint === 'string') return BigInt(value.$bigint);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromJsonValue(v);
    return out;
  }
  return value;
}
