/**
 * The bench's netns-ts contender builds what the bench measures: its topology setup — in the
 * floor's phases with the namespaces made side by side, and in the floor's order
 * (`sequential`) — leaves N namespaces, each with its veth up on the bridge, `lo` and `eth0`
 * up, its address, its default route, and the masquerade and DNAT rules (the bench's own check,
 * bench/lib/state.mjs), and its bulk teardown leaves nothing. The bench checks the same after
 * its runs; this catches a broken contender before a half-hour run does.
 */
import { afterEach, expect, it } from 'vitest';
import { describeKernel } from './sandbox.js';

const contender = await import('../../bench/contenders/netns-ts.mjs' as string);
const state = await import('../../bench/lib/state.mjs' as string);
const settle = await import('../../bench/lib/settle.mjs' as string);

const N = 3;

describeKernel("the bench's netns-ts contender", () => {
  afterEach(async () => {
    await state.cleanTopology();
  });

  for (const sequential of [false, true]) {
    it(`builds the topology and tears it all down (${sequential ? "the floor's order" : 'phases, namespaces made side by side'})`, async () => {
      await contender.topologySetup({ n: N, sequential });
      expect(state.verifyTopology(N)).toEqual([]);
      expect(await contender.workloads.topology.teardown({ n: N })).toEqual({ mode: 'bulk' });
      await settle.waitTopologyGone();
      expect(state.benchNetns()).toEqual([]);
    });
  }
});
