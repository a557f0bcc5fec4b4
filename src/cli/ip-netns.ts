/** `netns-ts ip netns list|add|del|exec` — named network namespaces, as iproute2 manages them. */
import { once } from 'node:events';
import { constants } from 'node:os';
import { createNetns, deleteNetns, execInNetns, listNetns } from '../netns/index.js';
import { UsageError } from './usage-error.js';

export async function ipNetnsCommand(args: readonly string[], out: (line: string) => void, json: boolean): Promise<number> {
  const [verb = 'list', ...rest] = args;
  if ('list'.startsWith(verb) || verb === 'show') {
    const names = listNetns();
    if (json) out(JSON.stringify(names.map((name) => ({ name }))));
    else for (const n of names) out(n);
    return 0;
  }
  if (verb === 'add') {
    const name = one(rest, 'ip netns add NAME');
    createNetns(name);
    return 0;
  }
  if (verb === 'delete' || verb === 'del') {
    const name = one(rest, 'ip netns del NAME');
    deleteNetns(name);
    return 0;
  }
  if (verb === 'exec') {
    const [name, ...argv] = rest;
    if (!name || argv.length === 0) throw new UsageError('usage: ip netns exec NAME COMMAND [ARGS…]');
    const child = execInNetns(name, argv, { stdio: 'inherit' });
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    // Exit like a shell does for a child killed by a signal: 128 + the signal number.
    return code ?? 128 + (signal ? constants.signals[signal] : 0);
  }
  throw new UsageError(`ip netns ${verb}: not supported (supported: list, add, del, exec)`);
}

function one(args: readonly string[], usage: string): string {
  if (args.length !== 1) throw new UsageError(`usage: ${usage}`);
  return args[0]!;
}
