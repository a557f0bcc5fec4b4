/**
 * The monitor sees committed changes from any writer in the namespace, each transaction closed
 * by its generation and the committing socket's port.
 */
import { expect, it } from 'vitest';
import { openNetns } from '../../../src/netns/index.js';
import { NftMonitor, type NftEvent } from '../../../src/nft/monitor.js';
import { describeKernel, guardThreadNetns } from '../sandbox.js';
import { nft, nftScratch } from './nft-sandbox.js';

const T = 30_000;

describeKernel('nf_tables monitor', () => {
  guardThreadNetns();
  const scratch = nftScratch();

  it('reports our transaction and nft\'s, in order, with the committing port', async () => {
    const ns = scratch.netns();
    const handle = openNetns(ns);
    const monitor = NftMonitor.open({ netnsFd: handle.fd });
    handle.close();
    try {
      const c = scratch.client(ns);
      const events: NftEvent[] = [];
      const done = (async () => {
        for await (const e of monitor) {
          events.push(e);
          if (events.filter((x) => x.kind === 'generation').length === 2) break;
        }
      })();
      await c.addTable({ family: 'inet', name: 'watched' });
      nft(ns, 'add', 'chain', 'inet', 'watched', 'c');
      await done;
      const summary = events.map((e) => {
        if (e.kind === 'generation') return `gen ${e.port === c.connection.port ? 'ours' : 'theirs'}`;
        if (e.kind === 'overrun' || e.kind === 'unknown' || e.kind === 'trace') return e.kind;
        return `${e.op} ${e.kind} ${String(e.attributes.name)}`;
      });
      expect(summary).toEqual(['new table watched', 'gen ours', 'new chain c', 'gen theirs']);
      const gens = events.filter((e): e is Extract<NftEvent, { kind: 'generation' }> => e.kind === 'generation');
      expect(gens[1]!.generation).toBe(gens[0]!.generation + 1);
      expect(gens[1]!.process).toBe('nft');
    } finally {
      monitor.close();
    }
  }, T);
});
