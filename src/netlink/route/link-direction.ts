/**
 * Some link attributes are laid out differently in requests and in the kernel's replies (a
 * string with or without its NUL, IPv4 devconf as a nest or an array). Message codecs pick
 * the variant from NLM_F_REQUEST, which every request has and no reply or notification has.
 */
import { NlmFlags } from '../constants.js';

export type Direction = 'request' | 'reply';

export function directionOf(nlmsgFlags: number): Direction {
  return nlmsgFlags & NlmFlags.NLM_F_REQUEST ? 'request' : 'reply';
}
