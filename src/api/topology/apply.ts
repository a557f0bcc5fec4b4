/**
 * apply / plan / destroy: make the system match a topology, show what that would take, or
 * remove everything the topology created.
 */
import { readFileSync } from 'node:fs';
import { deleteNetns, listNetns } from '../../netns/netns.js';
import { sysctlWrite } from '../../netns/sysctl.js';
import { natTableRemoval } from '../nat/table.js';
import { ApplyError } from './errors.js';
import { emptyJournal, readJournal, removeJournal, writeJournal, type Journal } from './journal.js';
import { natTableName, ownerGroup } from './marks.js';
import { observe } from './observe.js';
import { planSteps } from './plan.js';
import type { Topology } from './schema.js';
import { NetnsSession } from './session.js';
import type { RunContext, Step } from './steps.js';
import { validateTopology } from './validate.js';

/** Read a topology from a JSON file. */
export function loadTopology(path: string): Topology {
  return JSON.parse(readFileSync(path, 'utf8')) as Topology;
}

class Sessions {
  private readonly open = new Map<string, NetnsSession>();
  sessionOf = (netns: string | undefined): NetnsSession => {
    const key = netns ?? '';
    let s = this.open.get(key);
    if (!s) {
      s = new NetnsSession(netns);
      this.open.set(key, s);
    }
    return s;
  };
  close(): void {
    for (const s of this.open.values()) s.close();
    this.open.clear();
  }
}

export interface PlanResult {
  /** What apply would do, as commands a person would type. Empty: nothing to change. */
  steps: string[];
}

/** What `apply(topology)` would change (nothing is changed). */
export async function plan(topology: Topology): Promise<PlanResult> {
  const t = validateTopology(topology);
  const sessions = new Sessions();
  try {
    const observed = await observe(t, sessions.sessionOf);
    return { steps: planSteps(t, observed).map((s) => s.description) };
  } finally {
    sessions.close();
  }
}

export interface ApplyResult {
  /** The steps that were carried out (empty when everything already matched). */
  applied: string[];
  durationMs: number;
}

/** Run steps phase by phase; groups of a phase run concurrently. Returns completed steps in order. */
async function runSteps(steps: Step[], ctx: RunContext, done: Step[]): Promise<void> {
  const phases = [...new Set(steps.map((s) => s.phase))].sort((a, b) => a - b);
  for (const phase of phases) {
    const groups = new Map<string, Step[]>();
    for (const s of steps.filter((x) => x.phase === phase)) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
    let failure: { step: Step; error: unknown } | undefined;
    await Promise.all(
      [...groups.values()].map(async (group) => {
        for (const step of group) {
          if (failure) return;
          try {
            await step.run(ctx);
            done.push(step);
          } catch (error) {
            failure ??= { step, error };
            return;
          }
        }
      }),
    );
    if (failure) throw Object.assign(new Error('step failed'), { failure });
  }
}

/**
 * Make the system match `topology`. Idempotent: a second apply does nothing. A topology that
 * changed is applied as the difference. If a step fails, what this apply created is removed
 * again (in reverse order) and an ApplyError names the step and the kernel's reason.
 */
export async function apply(topology: Topology): Promise<ApplyResult> {
  const started = performance.now();
  const t = validateTopology(topology);
  const sessions = new Sessions();
  const journal: Journal = readJournal(t.name) ?? emptyJournal(t.name, t.host);
  const ctx: RunContext = { sessionOf: sessions.sessionOf, journal, saveJournal: () => writeJournal(journal) };
  const done: Step[] = [];
  try {
    const steps = planSteps(t, await observe(t, sessions.sessionOf));
    if (steps.length === 0) return { applied: [], durationMs: performance.now() - started };
    try {
      await runSteps(steps, ctx, done);
    } catch (err) {
      const failure = (err as { failure?: { step: Step; error: unknown } }).failure;
      if (!failure) throw err;
      const rolledBack: string[] = [];
      const rollbackErrors: unknown[] = [];
      for (const step of [...done].reverse()) {
        if (!step.undo) continue;
        try {
          await step.undo(ctx);
          rolledBack.push(step.description);
        } catch (e) {
          rollbackErrors.push(e);
        }
      }
      throw new ApplyError(failure.step.description, failure.error, rolledBack, rollbackErrors);
    }
    journal.forwards = t.forwards.map((f) => ({ protocol: f.protocol, family: f.family, ports: f.ports, toAddress: f.toAddress, toPorts: f.toPorts }));
    writeJournal(journal);
    return { applied: done.map((s) => s.description), durationMs: performance.now() - started };
  } finally {
    sessions.close();
  }
}

export interface DestroyResult {
  removed: string[];
  durationMs: number;
}

/**
 * Remove everything topology `name` created — its namespaces, the host links marked with its
 * group, its NAT table, the sysctls it changed, the conntrack entries of its forwards — and
 * nothing else. Works from the journal and the marks alone, so it also cleans up after a
 * crash halfway through an apply. Fast: namespaces go in one call each and the host links in
 * one bulk request (the kernel pays a grace period per delete call, not per link).
 */
export async function destroy(topologyOrName: Topology | string): Promise<DestroyResult> {
  const started = performance.now();
  const name = typeof topologyOrName === 'string' ? topologyOrName : validateTopology(topologyOrName).name;
  const journal = readJournal(name);
  const host = typeof topologyOrName === 'string' ? journal?.host : topologyOrName.host;
  const removed: string[] = [];
  const sessions = new Sessions();
  const existing = new Set(listNetns());
  const hostIsOurs = host !== undefined && (journal?.namespaces ?? []).includes(host);
  try {
    for (const ns of journal?.namespaces ?? []) {
      if (ns === host || !existing.has(ns)) continue;
      deleteNetns(ns);
      removed.push(`ip netns del ${ns}`);
    }
    if (host === undefined || existing.has(host)) {
      if (!hostIsOurs) {
        const s = sessions.sessionOf(host);
        const group = ownerGroup(name);
        const ours = (await s.links.list()).filter((l) => l.group === group);
        if (ours.length > 0) {
          await s.links.deleteGroup(group);
          removed.push(`ip link del group ${group} (${ours.map((l) => l.name).join(', ')})`);
        }
        await s.nft.apply(natTableRemoval(natTableName(name)));
        removed.push(`nft delete table inet ${natTableName(name)}`);
        for (const f of journal?.forwards ?? []) {
          const n = await s.conntrack.flush({ family: f.family, protocol: f.protocol, origDstPort: f.ports, replySrc: f.toAddress, replySrcPort: f.toPorts });
          if (n > 0) removed.push(`conntrack: ${n} flow(s) of forward ${f.protocol} ${f.ports.join('-')}`);
        }
        for (const c of [...(journal?.sysctls ?? [])].reverse()) {
          try {
            sysctlWrite(c.netns, c.key, c.previous);
            removed.push(`sysctl -w ${c.key.replaceAll('/', '.')}=${c.previous}`);
          } catch {
            // The device is gone (it was ours): nothing to restore.
          }
        }
      } else {
        sessions.close();
        deleteNetns(host);
        removed.push(`ip netns del ${host}`);
      }
    }
    removeJournal(name);
    return { removed, durationMs: performance.now() - started };
  } finally {
    sessions.close();
  }
}
