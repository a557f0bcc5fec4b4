/**
 * ifb (Intermediate Functional Block): no IFLA_INFO_DATA. Registered so the kind is known;
 * data, should a future kernel send some, is kept opaque.
 */
import type { LinkKindCodecs } from './common.js';

export const ifbKind: LinkKindCodecs = { kind: 'ifb' };
