/**
 * The compiled fast decoder of rtnetlink messages (family header + attributes), for dumps of
 * thousands of routes, addresses or neighbours decoded to typed objects. It grew here and now
 * lives in the core, where every attribute set uses it (../decode-plan.ts); this module keeps
 * the name the rtnetlink families import.
 */
export { compileDecodePlan } from '../decode-plan.js';
