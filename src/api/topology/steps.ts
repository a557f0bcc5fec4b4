/** A plan is a list of steps: described (for `plan` output and errors), runnable, and undoable. */
import type { Journal } from './journal.js';
import type { NetnsSession } from './session.js';

export interface RunContext {
  /** The clients of a namespace (undefined: this process's), opened once per apply. */
  sessionOf(netns: string | undefined): NetnsSession;
  journal: Journal;
  /** Persist the journal (call before creating anything it should record). */
  saveJournal(): void;
}

export interface Step {
  /**
   * Steps run phase by phase. Within a phase, steps of different `group`s run concurrently
   * (e.g. one group per namespace), steps of one group in order.
   */
  phase: number;
  group: string;
  /** What the step does, like a command: `create namespace red`. */
  description: string;
  run(ctx: RunContext): Promise<void>;
  /** Reverts what `run` did, for rolling back a failed apply. */
  undo?(ctx: RunContext): Promise<void>;
}

export const Phase = {
  hostNamespace: 0,
  namespaces: 1,
  bridges: 2,
  interfaces: 3,
  links: 4,
  forwarding: 5,
  nat: 6,
  removals: 7,
  conntrack: 8,
} as const;
