/**
 * nft's register numbering. Registers are allocated in 4-byte units from NFT_REG_1; a value
 * that starts on a 16-byte boundary is named by its 16-byte register (`reg 1`, `reg 2`), any
 * other start by its 4-byte one (`reg 9` is the second 4-byte slot of reg 1). Every statement
 * starts again from reg 1 (nft releases a statement's registers when it is done).
 */
import { NFT_REG32_SIZE, NFT_REG_SIZE, NftRegister } from '../../expressions/constants.js';

const UNITS_PER_REG = NFT_REG_SIZE / NFT_REG32_SIZE;

/** 4-byte units a value of `bytes` occupies. */
export function unitsOf(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / NFT_REG32_SIZE));
}

/** Bytes a part of a concatenation occupies: its size rounded up to whole 4-byte registers. */
export function paddedSize(bytes: number): number {
  return unitsOf(bytes) * NFT_REG32_SIZE;
}

/** The register number of the slot `unit` 4-byte units after the start of register `reg`. */
export function registerAt(reg: number, unit: number): number {
  const base = reg >= NftRegister.NFT_REG32_00 ? reg - NftRegister.NFT_REG32_00 : (reg - NftRegister.NFT_REG_1) * UNITS_PER_REG;
  const slot = base + unit;
  return slot % UNITS_PER_REG === 0 ? NftRegister.NFT_REG_1 + slot / UNITS_PER_REG : NftRegister.NFT_REG32_00 + slot;
}

/** Hands out registers within one statement, as nft's get_register does. */
export class Registers {
  private nextUnit = 0;

  /** A register for a value of `bytes` (a concatenation takes just its units, a single value a whole 16-byte register). */
  take(bytes: number, concatenation = false): number {
    const reg = registerAt(NftRegister.NFT_REG_1, this.nextUnit);
    this.nextUnit += concatenation ? unitsOf(bytes) : UNITS_PER_REG;
    return reg;
  }
}
