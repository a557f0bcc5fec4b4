/**
 * The wire format between the native client (native/cni-client.c) and the resident daemon
 * (daemon.ts). Integers are u32, little-endian.
 *
 *   request:  "NTC1", count, count × (length, "NAME=VALUE"), length, stdin bytes
 *   response: exit status, length, stdout bytes
 *
 * The client forwards its whole environment (the CNI_* variables and what the IPAM plugin
 * inherits) and stdin as they are; the daemon answers with what the plugin would have printed.
 */
const MAGIC = 'NTC1';
const U32 = 4;
/** A call is a small JSON configuration and an environment: anything near this is not one. */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export interface DaemonRequest {
  env: Record<string, string>;
  stdin: string;
}

/**
 * Parse a complete request; `undefined` while more bytes are needed. Throws an Error for bytes
 * that are not a request (the daemon then drops the connection).
 */
export function parseRequest(data: Buffer): DaemonRequest | undefined {
  if (data.length < MAGIC.length) return undefined;
  if (data.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('not a netns-ts-cni request');
  let at = MAGIC.length;
  const take = (): Buffer | undefined => {
    if (data.length < at + U32) return undefined;
    const len = data.readUInt32LE(at);
    if (data.length < at + U32 + len) return undefined;
    const bytes = data.subarray(at + U32, at + U32 + len);
    at += U32 + len;
    return bytes;
  };
  if (data.length < at + U32) return undefined;
  const count = data.readUInt32LE(at);
  at += U32;
  const env: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const entry = take();
    if (entry === undefined) return undefined;
    const text = entry.toString('utf8');
    const eq = text.indexOf('=');
    // (An environment entry without '=' is not a variable; execve allows it, getenv ignores it.)
    if (eq > 0) env[text.slice(0, eq)] = text.slice(eq + 1);
  }
  const stdin = take();
  if (stdin === undefined) return undefined;
  if (at !== data.length) throw new Error('bytes after the end of a netns-ts-cni request');
  return { env, stdin: stdin.toString('utf8') };
}

/** The bytes of a request (the native client writes the same; tests and tools use this). */
export function encodeRequest(request: DaemonRequest): Buffer {
  const parts: Buffer[] = [Buffer.from(MAGIC, 'latin1')];
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(U32);
    b.writeUInt32LE(n);
    return b;
  };
  const entries = Object.entries(request.env);
  parts.push(u32(entries.length));
  for (const [name, value] of entries) {
    const entry = Buffer.from(`${name}=${value}`, 'utf8');
    parts.push(u32(entry.length), entry);
  }
  const stdin = Buffer.from(request.stdin, 'utf8');
  parts.push(u32(stdin.length), stdin);
  return Buffer.concat(parts);
}

/** The bytes of a response. */
export function encodeResponse(exitCode: number, stdout: string): Buffer {
  const out = Buffer.from(stdout, 'utf8');
  const head = Buffer.alloc(2 * U32);
  head.writeUInt32LE(exitCode >>> 0, 0);
  head.writeUInt32LE(out.length, U32);
  return Buffer.concat([head, out]);
}
