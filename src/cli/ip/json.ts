/**
 * JSON as `ip -j` prints it: compact, or with `-p` in iproute2's own pretty layout (arrays
 * inline as `[ … ]`, objects broken over lines, four spaces per level), so output diffs clean
 * against `ip -j -p`. 64-bit counters (bigint) print as exact integers.
 */

/** A number written exactly as given, e.g. ip's timers with two decimals (`0.00`, `299.75`). */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A JSON value; bigint is written as an integer literal. */
export type IpJson = null | boolean | number | bigint | string | JsonNumber | IpJson[] | { [key: string]: IpJson | undefined };

const INDENT = '    ';

function scalar(v: null | boolean | number | bigint | string): string {
  if (typeof v === 'bigint') return v.toString();
  return JSON.stringify(v);
}

function compact(v: IpJson): string {
  if (v instanceof JsonNumber) return v.text;
  if (v === null || typeof v !== 'object') return scalar(v);
  if (Array.isArray(v)) return `[${v.map(compact).join(',')}]`;
  return `{${Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => `${JSON.stringify(k)}:${compact(x!)}`).join(',')}}`;
}

function pretty(v: IpJson, depth: number): string {
  if (v instanceof JsonNumber) return v.text;
  if (v === null || typeof v !== 'object') return scalar(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[ ]';
    return `[ ${v.map((x) => pretty(x, depth + 1)).join(',')} ]`;
  }
  const es = Object.entries(v).filter(([, x]) => x !== undefined);
  if (es.length === 0) return '{ }';
  const pad = INDENT.repeat(depth + 1);
  const body = es.map(([k, x]) => `${pad}${JSON.stringify(k)}: ${pretty(x!, depth + 1)}`).join(',\n');
  return `{\n${body}\n${INDENT.repeat(depth)}}`;
}

/** The text `ip -j [-p]` prints for `value`. */
export function ipJsonText(value: IpJson, prettyPrint: boolean): string {
  return prettyPrint ? pretty(value, 0) : compact(value);
}
