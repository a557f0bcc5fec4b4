/**
 * Typed rtnetlink clients, each over a Connection (open one in a namespace with
 * connectInNetns): links, addresses, routes, neighbours, namespace ids, netconf, events.
 */
export * from './links.js';
export * from './addresses.js';
export * from './routes.js';
export * from './neighbours.js';
export * from './nsids.js';
export * from './netconf.js';
export * from './events.js';
export { resolveIfindex, checkDeviceRef, type DeviceRef } from './devices.js';
export { validateLinkName, validateLinkRef, validateMtu, validateMac } from './link-validate.js';
