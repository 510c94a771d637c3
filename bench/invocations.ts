/**
 * Times every handler invocation, as Lambda would bill it: the HTTP handlers through the local service's
 * `wrapHttpHandler` option, the queue consumer through `wrapConsumer`. Each invocation is kept (function,
 * duration, batch size, response size) so a phase can be cut out by position.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { HttpHandler } from '../local/api-gateway';
import type { SqsHandler } from '../local/sqs-event-source';

export interface Invocation {
  readonly fn: string;
  readonly requestId: string;
  readonly durationMs: number;
  /** SQS records in the batch (consumer), 1 for an HTTP request. */
  readonly records: number;
  /** Records the consumer reported as failed, or 1 when the invocation threw. */
  readonly failed: number;
  readonly statusCode?: number;
  readonly responseBytes?: number;
}

export class InvocationLog {
  private readonly all: Invocation[] = [];

  get length(): number {
    return this.all.length;
  }

  /** The invocations since a position (taken with `length`), optionally of one function. */
  since(position: number, fn?: string): Invocation[] {
    const slice = this.all.slice(position);
    return fn ? slice.filter((invocation) => invocation.fn === fn) : slice;
  }

  last(fn: string): Invocation | undefined {
    for (let index = this.all.length - 1; index >= 0; index--)
      if (this.all[index]!.fn === fn) return this.all[index];
    return undefined;
  }

  /** Queue records the consumer finished (processed and not reported failed) since a position. */
  recordsConsumed(position: number): number {
    return this.since(position, 'consumer').reduce(
      (total, invocation) => total + invocation.records - invocation.failed,
      0,
    );
  }

  record(invocation: Invocation): void {
    this.all.push(invocation);
  }

  wrapHttp(fn: string, handler: HttpHandler): HttpHandler {
    return async (event, context) => {
      const started = performance.now();
      const result = await handler(event, context);
      const body = result.body ?? '';
      this.record({
        fn,
        requestId: context.awsRequestId ?? randomUUID(),
        durationMs: performance.now() - started,
        records: 1,
        failed: 0,
        statusCode: result.statusCode ?? 200,
        responseBytes: result.isBase64Encoded ? Buffer.from(body, 'base64').length : Buffer.byteLength(body),
      });
      return result;
    };
  }

  wrapConsumer(handler: SqsHandler): SqsHandler {
    return async (event, context) => {
      const started = performance.now();
      const records = event.Records.length;
      const finish = (failed: number) =>
        this.record({
          fn: 'consumer',
          requestId: context.awsRequestId ?? randomUUID(),
          durationMs: performance.now() - started,
          records,
          failed,
        });
      try {
        const response = await handler(event, context);
        finish(response?.batchItemFailures?.length ?? 0);
        return response;
      } catch (error) {
        finish(records);
        throw error;
      }
    };
  }
}
