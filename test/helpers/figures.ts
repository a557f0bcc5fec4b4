/**
 * Figures for the reliability summary that `npm test` prints (faults injected and survived,
 * bad inputs tried and refused, objects lost). Tests record them here; scripts/test.mjs points
 * NETNS_TS_FIGURES at a file and totals it after the run. Without the variable, nothing is kept.
 */
import { appendFileSync } from 'node:fs';

export type Figure = 'faults injected' | 'faults survived' | 'bad inputs tried' | 'bad inputs refused before sending' | 'objects lost';

export function recordFigure(figure: Figure, count = 1): void {
  const file = process.env.NETNS_TS_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify({ figure, count })}\n`);
}
