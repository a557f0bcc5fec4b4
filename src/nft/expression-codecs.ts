/**
 * The expression and data-register codecs this part of the library uses, from
 * ./expressions/ (one module per expression there). Kept as one import point so rules, sets,
 * elements and traces agree on them.
 */
export { expressionCodec, expressionListCodec, type Expression } from './expressions/index.js';
export { dataCodec, verdictCodec, verdict, type Data, type Verdict } from './expressions/data.js';
