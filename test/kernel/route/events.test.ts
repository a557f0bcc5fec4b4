import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { watchRoute, type RouteEvent, type RouteEventStream } from '../../../src/route/events.js';
import type { Route } from '../../../src/route/routes.js';
import { describeKernel, guardThreadNetns } from '../sandbox.js';
import { useNamespace, VETH_UP } from './route-sandbox.js';

/** Pull events until `done` says so (or fail after `ms`). */
async function until(stream: RouteEventStream, done: (e: RouteEvent, all: RouteEvent[]) => boolean, ms = 5000): Promise<RouteEvent[]> {
  const seen: RouteEvent[] = [];
  const timer = setTimeout(() => stream.close(), ms);
  try {
    for (;;) {
      const r = await stream.next();
      if (r.done) throw new Error(`stream ended after ${seen.length} events without the expected one: ${JSON.stringify(seen.map((e) => e.kind))}`);
      seen.push(r.value);
      if (done(r.value, seen)) return seen;
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Events that arrive within `quietMs` of each other, until a quiet gap. */
async function drain(stream: RouteEventStream, quietMs = 300): Promise<RouteEvent[]> {
  const out: RouteEvent[] = [];
  for (;;) {
    const next = await Promise.race([stream.next(), new Promise<'quiet'>((r) => setTimeout(() => r('quiet'), quietMs))]);
    if (next === 'quiet' || next.done) return out;
    out.push(next.value);
  }
}

const TABLES: Record<string, number> = { default: 253, main: 254, local: 255 };
const routeKey = (table: number, dst: string, metric: number | undefined) => `${table} ${dst} ${metric ?? 0}`;
const ourKey = (r: Route) => routeKey(r.table, r.to, r.metric);

describeKernel('route events against the kernel', () => {
  guardThreadNetns();
  const ns = useNamespace([...VETH_UP]);

  it('an initial snapshot, then typed events for what ip changes', async () => {
    const stream = watchRoute({ netns: ns.name, kinds: ['link', 'address', 'route', 'neighbour', 'nsid'], initialSnapshot: true });
    try {
      const [first] = await until(stream, () => true);
      expect(first!.kind).toBe('resync');
      const snapshot = (first as Extract<RouteEvent, { kind: 'resync' }>).snapshot;
      expect(snapshot.links!.map((l) => l.attributes.ifname).sort()).toEqual(['lo', 'v0', 'v1']);

      ns.ip('addr', 'add', '192.168.15.1/24', 'dev', 'v0');
      ns.ip('route', 'add', '10.8.0.0/16', 'via', '192.168.15.2');
      ns.ip('neigh', 'add', '192.168.15.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'v0');
      ns.ip('route', 'del', '10.8.0.0/16');
      ns.ip('link', 'add', 'v2', 'type', 'veth', 'peer', 'name', 'v3');
      const isNewLink = (e: RouteEvent, name: string) => e.kind === 'link' && e.action === 'new' && e.object.attributes.ifname === name;
      const events = await until(stream, (_, all) => all.some((e) => isNewLink(e, 'v2')) && all.some((e) => isNewLink(e, 'v3')));
      const find = <K extends RouteEvent['kind']>(kind: K, pred: (e: Extract<RouteEvent, { kind: K }>) => boolean) =>
        events.find((e) => e.kind === kind && pred(e as Extract<RouteEvent, { kind: K }>));
      expect(find('address', (e) => e.action === 'new' && e.object.address === '192.168.15.1' && e.object.prefixLength === 24)).toBeDefined();
      expect(find('route', (e) => e.action === 'new' && e.object.to === '10.8.0.0/16' && e.object.via === '192.168.15.2')).toBeDefined();
      expect(find('route', (e) => e.action === 'del' && e.object.to === '10.8.0.0/16')).toBeDefined();
      expect(find('route', (e) => e.object.to === '192.168.15.0/24' && e.object.protocol === 'kernel')).toBeDefined();
      expect(find('neighbour', (e) => e.action === 'new' && e.object.address === '192.168.15.9' && e.object.state.includes('permanent'))).toBeDefined();
      expect(find('link', (e) => e.action === 'new' && e.object.attributes.ifname === 'v2')).toBeDefined();
    } finally {
      stream.close();
    }
  });

  it('overrun (tiny receive buffer, event loop blocked while ip adds 2000 routes): resync, then events, give the view ip -j shows', async () => {
    const stream = watchRoute({ netns: ns.name, kinds: ['route'], families: ['inet'], receiveBuffer: 4096 });
    const dir = mkdtempSync(join(tmpdir(), 'netns-ts-events-'));
    try {
      const view = new Map<string, Route>();
      // Start listening (the first next() arms the socket), then block the event loop.
      const pending = stream.next();
      const batch = join(dir, 'routes.batch');
      const lines: string[] = [];
      for (let i = 0; i < 2000; i++) lines.push(`route add 10.${100 + (i >> 8)}.${i & 255}.0/24 dev v0`);
      writeFileSync(batch, `${lines.join('\n')}\n`);
      execFileSync('ip', ['-n', ns.name, '-batch', batch]); // synchronous: nothing reads the socket meanwhile
      ns.ip('route', 'add', '10.99.0.0/16', 'dev', 'v0');
      const first = await pending;
      const events = [first.value as RouteEvent, ...(await until(stream, (e) => e.kind === 'resync', 10_000))];
      expect(events.map((e) => e.kind)).toContain('overrun');
      const resync = events.at(-1) as Extract<RouteEvent, { kind: 'resync' }>;
      expect(resync.reason).toBe('overrun');
      for (const r of resync.snapshot.routes!) view.set(ourKey(r), r);
      // What came after the snapshot is applied on top of it.
      ns.ip('route', 'del', '10.99.0.0/16');
      ns.ip('route', 'add', '10.98.0.0/16', 'dev', 'v0');
      for (const e of await drain(stream)) {
        if (e.kind === 'resync') {
          view.clear();
          for (const r of e.snapshot.routes!) view.set(ourKey(r), r);
        } else if (e.kind === 'route') {
          if (e.action === 'new') view.set(ourKey(e.object), e.object);
          else view.delete(ourKey(e.object));
        }
      }
      const ip = JSON.parse(execFileSync('ip', ['-n', ns.name, '-4', '-j', 'route', 'show', 'table', 'all'], { encoding: 'utf8', maxBuffer: 64 << 20 })) as {
        dst: string; table?: string; metric?: number;
      }[];
      const theirs = ip.map((r) => routeKey(TABLES[r.table ?? 'main'] ?? Number(r.table), r.dst, r.metric)).sort();
      expect([...view.keys()].sort()).toEqual(theirs);
      expect(view.has(routeKey(254, '10.98.0.0/16', 0))).toBe(true);
      expect(view.has(routeKey(254, '10.99.0.0/16', 0))).toBe(false);
    } finally {
      stream.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
