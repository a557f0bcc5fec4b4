/**
 * What a rule's registers hold while it is rendered: each load puts an operand (a payload, a
 * meta or ct key, a constant, a map lookup's result) in a slot, possibly spanning several
 * 4-byte words; a match, a set lookup or a statement then takes it. A load over words still
 * held displaces what was there, which the renderer prints raw (nobody used it).
 */
import { registerSlot } from '../expressions/registers.js';
import type { Operand } from './operands.js';

interface Held {
  operand: Operand;
  words: number;
}

function operandSize(operand: Operand): number {
  switch (operand.kind) {
    case 'payload': return operand.len;
    case 'named': return operand.size;
    case 'constant': return operand.bytes.length;
    case 'map': return 4;
  }
}

const slotOf = (reg: number | undefined): number | undefined => (reg === undefined ? undefined : registerSlot(reg));

export class RegisterFile {
  private readonly held = new Map<number, Held>();

  /**
   * Put `operand` in register `reg`: the operands it overwrites (in the order they were
   * loaded), or undefined when `reg` names no data register.
   */
  load(reg: number | undefined, operand: Operand): Operand[] | undefined {
    const slot = slotOf(reg);
    if (slot === undefined) return undefined;
    const words = Math.max(1, Math.ceil(operandSize(operand) / 4));
    const displaced: Operand[] = [];
    for (const [other, entry] of this.held) {
      if (other < slot + words && slot < other + entry.words) {
        this.held.delete(other);
        displaced.push(entry.operand);
      }
    }
    this.held.set(slot, { operand, words });
    return displaced;
  }

  /** What register `reg` holds, left there. */
  peek(reg: number | undefined): Operand | undefined {
    const slot = slotOf(reg);
    return slot === undefined ? undefined : this.held.get(slot)?.operand;
  }

  /** What register `reg` holds, taken out. */
  take(reg: number | undefined): Operand | undefined {
    const slot = slotOf(reg);
    if (slot === undefined) return undefined;
    const entry = this.held.get(slot);
    this.held.delete(slot);
    return entry?.operand;
  }

  /** The operands of a concatenation starting at `reg` (the loads into consecutive registers), taken out. */
  takeConcatenation(reg: number | undefined, keyLength: number | undefined): Operand[] {
    let slot = slotOf(reg);
    const out: Operand[] = [];
    let bytes = 0;
    while (slot !== undefined) {
      const entry = this.held.get(slot);
      if (!entry || (keyLength !== undefined && bytes >= keyLength)) break;
      this.held.delete(slot);
      out.push(entry.operand);
      bytes += entry.words * 4;
      slot += entry.words;
      if (keyLength === undefined && out.length === 1 && !this.held.has(slot)) break;
    }
    return out;
  }

  /** Whatever was loaded and never used, in load order. */
  leftOver(): Operand[] {
    return [...this.held.values()].map((entry) => entry.operand);
  }
}
