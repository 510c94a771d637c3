/**
 * Log lines AWS itself writes for each request, which CloudWatch Logs ingests and bills like the
 * handlers' own: Lambda's START / END / REPORT lines per invocation (with the X-Ray line active tracing
 * adds) and the HTTP API's access log line per request, rendered from the prod stage's format. Both are
 * rendered from each measured invocation or request (its duration, status, response size), so their
 * byte counts follow the run rather than a constant.
 */
import { randomUUID } from 'node:crypto';
import type { Invocation } from './invocations';
import type { SendResult } from './sender';

const TRACE_ID = '1-6744a1b2-3c4d5e6f708192a3b4c5d6e7';
const SEGMENT_ID = '0123456789abcdef';

/** Lambda's platform lines for one invocation (text log format), newline included; the XRAY line only with active tracing. */
export function platformLogBytes(
  invocation: Invocation,
  memoryMb: number,
  maxMemoryUsedMb: number,
  tracing: boolean,
): number {
  const id = invocation.requestId;
  const duration = invocation.durationMs.toFixed(2);
  const billed = Math.max(1, Math.ceil(invocation.durationMs));
  const lines = [
    `START RequestId: ${id} Version: $LATEST`,
    `END RequestId: ${id}`,
    `REPORT RequestId: ${id}\tDuration: ${duration} ms\tBilled Duration: ${billed} ms\tMemory Size: ${memoryMb} MB\tMax Memory Used: ${maxMemoryUsedMb} MB\t${tracing ? `\nXRAY TraceId: ${TRACE_ID}\tSegmentId: ${SEGMENT_ID}\tSampled: true\t` : ''}`,
  ];
  return lines.reduce((total, line) => total + Buffer.byteLength(line) + 1, 0);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function clf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/**
 * The access log line API Gateway writes for one postback request, newline included. The measured
 * round trip stands for both latencies: only their digit counts matter here.
 */
export function accessLogBytes(format: string, routeKey: string, result: SendResult): number {
  const values: Record<string, string> = {
    requestId: randomUUID().replace(/-/g, '').slice(0, 16) + '=',
    requestTime: clf(new Date()),
    'identity.sourceIp': '203.0.113.77',
    routeKey: `${result.request.method} ${routeKey}`,
    status: String(result.status),
    protocol: 'HTTP/1.1',
    responseLength: String(result.responseBytes),
    responseLatency: String(Math.round(result.latencyMs)),
    integrationLatency: String(Math.round(result.latencyMs)),
    integrationErrorMessage: '-',
    'identity.userArn': '-',
  };
  const line = format.replace(/\$context\.([A-Za-z.]+)/g, (_, name: string) => values[name] ?? '-');
  return Buffer.byteLength(line) + 1;
}
