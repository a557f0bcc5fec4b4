/**
 * counter: count packets and bytes. The attributes are the counter object's
 * (enum nft_counter_attributes, declared once in ../object.ts). `[ counter pkts 0 bytes 0 ]`.
 */
import { objectDataAttributes } from '../object.js';
import { defineExpression, type ExpressionOf } from './definition.js';

export const counter = defineExpression({
  name: 'counter',
  data: objectDataAttributes.counter,
  describe: (v) => `pkts ${v.packets ?? 0n} bytes ${v.bytes ?? 0n}`,
});
export type CounterExpression = ExpressionOf<typeof counter>;
