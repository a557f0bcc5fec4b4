/**
 * Users and groups by name and by id, read from /etc/passwd and /etc/group (`name:x:id:…`), as
 * getpwnam/getgrnam and getpwuid/getgrgid find them on a system without NSS modules: what ip
 * uses for `ip tuntap … user NAME` and prints for a tun device's owner.
 */
import { readFileSync } from 'node:fs';

export type IdKind = 'user' | 'group';

const FILES: Record<IdKind, string> = { user: '/etc/passwd', group: '/etc/group' };

/** Read once per process: `ip -d link show` asks for every tun device's owner and group. */
const read = new Map<IdKind, Array<[string, number]>>();

/** [name, id] of every entry of the file (none if it cannot be read). */
function entries(kind: IdKind): Array<[string, number]> {
  let out = read.get(kind);
  if (out !== undefined) return out;
  out = [];
  let text = '';
  try {
    text = readFileSync(FILES[kind], 'utf8');
  } catch {
    /* no such file: no names */
  }
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name && id !== undefined && /^[0-9]+$/.test(id)) out.push([name, Number(id)]);
  }
  read.set(kind, out);
  return out;
}

/** The id of a user or group name; undefined if there is none. */
export function idOfName(kind: IdKind, name: string): number | undefined {
  return entries(kind).find(([n]) => n === name)?.[1];
}

/** The name of a uid or gid, or the number itself when it has none. */
export function nameOfId(kind: IdKind, id: number): string | number {
  return entries(kind).find(([, i]) => i === id)?.[0] ?? id;
}

/** Where names of `kind` come from, for error messages. */
export const idFile = (kind: IdKind): string => FILES[kind];
