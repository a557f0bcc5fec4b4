/**
 * The protocol codecs (rtnetlink, netfilter) registered for decoding, loaded only when a trace
 * or `decode` needs them, so plain commands start faster.
 */
let loading: Promise<unknown> | undefined;

export function loadProtocols(): Promise<unknown> {
  loading ??= import('../protocols.js');
  return loading;
}
