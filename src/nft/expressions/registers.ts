/**
 * Register numbers (enum nft_registers) as they travel in NFTA_*_SREG / NFTA_*_DREG: a
 * big-endian u32. Kept as plain numbers: libnftnl prints them as numbers (`reg 1`, `reg 9`).
 */
import type { FieldCodec } from '../../netlink/field.js';
import { u32be } from '../../netlink/fields.js';
import { NFT_REG32_SIZE, NFT_REG_SIZE, NftRegister } from './constants.js';

/** A register number (NFT_REG_VERDICT, NFT_REG_1..4, NFT_REG32_00..15). */
export const registerCodec: FieldCodec<number> = { ...u32be, kind: 'register' };

const WORDS_PER_REG = NFT_REG_SIZE / NFT_REG32_SIZE;

/**
 * The 4-byte slot a register starts at: NFT_REG_1..4 alias NFT_REG32_00..15 four slots each,
 * so `reg 1` and `reg 8` are the same storage. Returns undefined for the verdict register and
 * numbers outside both ranges.
 */
export function registerSlot(reg: number): number | undefined {
  if (reg >= NftRegister.NFT_REG_1 && reg <= NftRegister.NFT_REG_4) return (reg - NftRegister.NFT_REG_1) * WORDS_PER_REG;
  if (reg >= NftRegister.NFT_REG32_00 && reg <= NftRegister.NFT_REG32_15) return reg - NftRegister.NFT_REG32_00;
  return undefined;
}
