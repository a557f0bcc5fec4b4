/**
 * One dump, from its request to its end (Connection.dump runs them one at a time per socket):
 * its replies collected, or handed over message by message or as bytes as they arrive;
 * started over when the kernel marks it interrupted (NLM_F_DUMP_INTR, up to `retries` times)
 * or answers that the socket is busy with another dump (EBUSY); and, when its caller gives up
 * (timeout, abort, an exception in a handler), read to its end all the same, so that the next
 * dump on the socket never overlaps it (the kernel would refuse that with EBUSY).
 */
import { constants as osConstants } from 'node:os';
import { NLMSG_HDRLEN, NlmFlags, NlmsgType } from './constants.js';
import { datagramOf } from './body-delivery.js';
import { decodeDoneBody, decodeErrorBody } from './error-message.js';
import type { Connection } from './connection.js';
import { DumpInterruptedError } from './errors.js';
import type { NetlinkMessage } from './message.js';
import { netlinkErrorFrom } from './request-error.js';
import type { BodyDumpOptions, DumpOptions, OutgoingMessage, StreamingDumpOptions } from './request-options.js';

const EBUSY = osConstants.errno.EBUSY;
/** How long a dump refused with EBUSY waits before it asks again. */
const EBUSY_RETRY_DELAY_MS = 5;

/**
 * What a dump uses of its connection: starting its request, reading what is queued, naming it
 * in errors, the restart counter, the default timeout (which also bounds reading an abandoned
 * dump to its end) and whether the connection closed.
 */
export type DumpHost = Pick<Connection, 'start' | 'readQueued' | 'summarize' | 'stats' | 'timeoutMs' | 'isClosed'>;

/**
 * Run the dump `msg` on `host` to its end and settle the caller's promise through `settle`
 * (which may happen before the end, when the caller gave up). Resolves when the socket is free
 * for the next dump.
 */
export async function runDump(
  host: DumpHost,
  msg: OutgoingMessage,
  options: DumpOptions | StreamingDumpOptions | BodyDumpOptions,
  retries: number,
  settle: { resolve: (v: NetlinkMessage[]) => void; reject: (e: unknown) => void },
): Promise<void> {
  const stream = 'onMessage' in options ? options : undefined;
  const bodies = 'onBody' in options ? options : undefined;
  const handedOver = stream ?? bodies;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) handedOver?.onRestart?.();
    // `finished` resolves when the kernel has ended this dump, even if the caller gave up,
    // so the next dump never overlaps a running one (which the kernel answers with EBUSY).
    const outcome = await new Promise<{ kind: 'done'; messages: NetlinkMessage[]; interrupted: boolean } | { kind: 'busy' } | { kind: 'over' }>(
      (finished) => {
        const flags = (msg.flags ?? 0) | NlmFlags.NLM_F_REQUEST | NlmFlags.NLM_F_DUMP;
        const fail = (err: unknown): void => {
          settle.reject(err);
        };
        const p = host.start(msg, flags, true, options, fail, (p, m) => {
          if (m.flags & NlmFlags.NLM_F_DUMP_INTR) p.interrupted = true;
          if (m.type === NlmsgType.NLMSG_DONE || m.type === NlmsgType.NLMSG_ERROR) {
            const body = m.type === NlmsgType.NLMSG_DONE ? decodeDoneBody(m.payload, m.flags) : decodeErrorBody(m.payload, m.flags);
            const wasDraining = p.draining;
            p.cleanup();
            if (wasDraining) return finished({ kind: 'over' });
            const errno = body.error ?? 0;
            if (errno === -EBUSY && attempt < retries) return finished({ kind: 'busy' });
            if (errno < 0) {
              settle.reject(netlinkErrorFrom(body, p.summary, p.request.spans));
              return finished({ kind: 'over' });
            }
            return finished({ kind: 'done', messages: p.messages, interrupted: p.interrupted });
          }
          if (p.draining || m.type === NlmsgType.NLMSG_NOOP) return;
          if (stream) stream.onMessage(m);
          else if (bodies) bodies.onBody(datagramOf(m), m.offset + NLMSG_HDRLEN, m.offset + NLMSG_HDRLEN + m.payload.length, m.type, m.flags);
          else p.messages.push(m);
        });
        if (!p) return finished({ kind: 'over' });
        if (bodies) {
          // The replies that are not the dump's end, as bytes (deliverBodies); the end still
          // comes to the handler above as a message.
          p.onBody = (p, bytes, start, end, type, flags) => {
            if (flags & NlmFlags.NLM_F_DUMP_INTR) p.interrupted = true;
            if (p.draining || type === NlmsgType.NLMSG_NOOP) return;
            bodies.onBody(bytes, start, end, type, flags);
          };
        }
        p.fail = (err) => {
          // Caller gone: keep the entry to swallow the rest of the dump, bounded by a timeout.
          settle.reject(err);
          if (p.draining) return;
          p.draining = true;
          const drainTimer = setTimeout(() => {
            p.cleanup();
            finished({ kind: 'over' });
          }, options.timeoutMs ?? host.timeoutMs);
          const cleanup = p.cleanup;
          p.cleanup = () => {
            clearTimeout(drainTimer);
            cleanup();
          };
          if (host.isClosed) {
            p.cleanup();
            finished({ kind: 'over' });
          }
        };
        // The kernel queued the dump's first part as it took the request (and queues each
        // next part as one is read): read it now, with `fail` in place, not a turn later.
        host.readQueued();
      },
    );
    if (outcome.kind === 'over') return;
    if (outcome.kind === 'busy') {
      await new Promise((r) => setTimeout(r, EBUSY_RETRY_DELAY_MS));
      continue;
    }
    if (!outcome.interrupted) return settle.resolve(outcome.messages);
    if (attempt >= retries || (handedOver && !handedOver.onRestart)) {
      return settle.reject(new DumpInterruptedError(host.summarize(msg, 0, NlmFlags.NLM_F_DUMP), attempt + 1, outcome.messages));
    }
    host.stats.dumpRestarts++;
  }
}
