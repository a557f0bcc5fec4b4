import { afterEach, beforeEach, expect, it } from 'vitest';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { NetlinkError, OutcomeUnknownError } from '../../../src/netlink/errors.js';
import { RtnlGroup } from '../../../src/netlink/route/constants.js';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { recordFigure } from '../../helpers/figures.js';
import { describeKernel, randomName } from '../sandbox.js';
import { dumpLinks, linkMessage, RTM_NEWLINK } from './helpers.js';

const create = (name: string) => ({
  ...linkMessage(RTM_NEWLINK, { ifname: name, linkinfo: { kind: 'bridge' } }),
  flags: NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL,
});

describeKernel('fault: ENOBUFS on a request connection', () => {
  let ns = '';
  beforeEach(() => {
    ns = randomName('nobufs');
    createNetns(ns);
  });
  afterEach(() => deleteNetns(ns));

  it('the in-flight request fails as outcome unknown, the state tells the truth, the connection stays usable', async () => {
    // A: tiny receive buffer and subscribed to link events, so a burst of events overruns it.
    const a = connectInNetns(ns, { receiveBuffer: 1, groups: [RtnlGroup.RTNLGRP_LINK] });
    const b = connectInNetns(ns, { maxInFlight: 1000 }); // all 200 sent at once
    try {
      // All of this runs before the event loop turns, so A reads nothing in between: the
      // kernel queues 200 link events for A, overruns it, then drops the ack of A's request.
      const burst = Array.from({ length: 200 }, (_, i) => b.request(create(`burst${i}`)));
      const lost = a.request(create('target')).catch((e: unknown) => e);
      await Promise.all(burst);
      const err = await lost;
      expect(err).toBeInstanceOf(OutcomeUnknownError);
      expect(a.stats.overruns).toBeGreaterThanOrEqual(1);

      // The outcome was unknown to the caller; reading the state settles it: the link exists.
      const names = (await dumpLinks(a)).map((l) => l.name);
      expect(names).toContain('target');
      expect(names.filter((n) => n.startsWith('burst'))).toHaveLength(200);
      // And the connection still works for writes.
      const again = await a.request(create('target')).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(NetlinkError);
      expect((again as NetlinkError).code).toBe('EEXIST');
      recordFigure('faults injected');
      recordFigure('faults survived');
    } finally {
      a.close();
      b.close();
    }
  });

  it('an event subscription reports the overrun, and a re-dump afterwards matches the kernel', async () => {
    const sub = connectInNetns(ns, { receiveBuffer: 1, groups: [RtnlGroup.RTNLGRP_LINK] });
    const writer = connectInNetns(ns, { maxInFlight: 1000 });
    const events = sub.events();
    try {
      const burst = Array.from({ length: 150 }, (_, i) => writer.request(create(`ev${i}`)));
      await Promise.all(burst);
      const seen: string[] = [];
      for (;;) {
        const { value } = await events.next();
        seen.push(value!.kind);
        if (value!.kind === 'overrun') break;
      }
      expect(seen).toContain('overrun');
      // Resync: the view after re-dumping is the kernel's.
      const view = (await dumpLinks(sub)).map((l) => l.name);
      expect(view.filter((n) => n.startsWith('ev'))).toHaveLength(150);
      recordFigure('faults injected');
      recordFigure('faults survived');
    } finally {
      events.return();
      sub.close();
      writer.close();
    }
  });
});
