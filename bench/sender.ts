/**
 * An open-loop, fixed-rate sender: request i leaves at start + i / rate whether or not earlier answers
 * have come back, so a slow service meets the same offered load instead of slowing the sender down
 * (no coordinated omission). Records each answer's status, postback id and latency.
 */
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { PostbackRequest } from './workload';

export interface SendResult {
  readonly request: PostbackRequest;
  /** Milliseconds after the phase start the request was due, and when it actually left. */
  readonly dueMs: number;
  readonly sentMs: number;
  readonly latencyMs: number;
  /** 0 when no answer came (connection error). */
  readonly status: number;
  readonly postbackId: string | null;
  readonly responseBytes: number;
  readonly error?: string;
}

export interface OpenLoopOptions {
  readonly count: number;
  readonly ratePerS: number;
  readonly next: (index: number) => PostbackRequest;
  /** Called after every answer (progress). */
  readonly onAnswer?: (answered: number, sent: number) => void;
}

export interface OpenLoopResult {
  readonly results: readonly SendResult[];
  /** Achieved send rate over the sending window. */
  readonly achievedRatePerS: number;
  /** Worst lateness of a send against its schedule (the sender's own limit, should stay small). */
  readonly maxSendLagMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keep-alive connections; node:http's native parser costs the shared CPU less than fetch's. */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function sendPostback(
  postback: PostbackRequest,
): Promise<{ status: number; postbackId: string | null; responseBytes: number }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> =
      postback.body === undefined
        ? {}
        : {
            'content-type': postback.contentType ?? 'text/plain',
            'content-length': Buffer.byteLength(postback.body),
          };
    const outgoing = httpRequest(postback.url, { method: postback.method, agent, headers }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => {
        const id = response.headers['x-postback-id'];
        resolve({
          status: response.statusCode ?? 0,
          postbackId: typeof id === 'string' ? id : null,
          responseBytes: bytes,
        });
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(postback.body);
  });
}

export async function sendOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const results: SendResult[] = [];
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  let maxSendLagMs = 0;

  const fire = (index: number) => {
    const request = options.next(index);
    const dueMs = (index * 1000) / options.ratePerS;
    const sentMs = performance.now() - start;
    maxSendLagMs = Math.max(maxSendLagMs, sentMs - dueMs);
    inFlight.push(
      sendPostback(request)
        .then(
          (answer) =>
            void results.push({
              request,
              dueMs,
              sentMs,
              latencyMs: performance.now() - start - sentMs,
              ...answer,
            }),
          (error: unknown) =>
            void results.push({
              request,
              dueMs,
              sentMs,
              latencyMs: performance.now() - start - sentMs,
              status: 0,
              postbackId: null,
              responseBytes: 0,
              error: String(error),
            }),
        )
        .then(() => options.onAnswer?.(results.length, sent)),
    );
  };

  while (sent < options.count) {
    const elapsed = performance.now() - start;
    const due = Math.min(options.count, Math.floor((elapsed * options.ratePerS) / 1000) + 1);
    while (sent < due) fire(sent++);
    if (sent < options.count)
      await sleep(Math.max(0, (sent * 1000) / options.ratePerS - (performance.now() - start)));
  }
  const sendingMs = performance.now() - start;
  await Promise.all(inFlight);
  return {
    results,
    achievedRatePerS:
      options.count > 1 ? ((options.count - 1) * 1000) / Math.max(1, sendingMs) : options.count,
    maxSendLagMs,
  };
}
