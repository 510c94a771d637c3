/**
 * The one middleware stack every handler shares (middy + Powertools): where the stage traces, an X-Ray
 * segment per invocation (the tracer loaded on the first one, see adapters/tracing-switch.ts); Lambda
 * context and cold start in every log line with correlation keys reset between invocations; and the
 * invocation's EMF metrics and summed counts flushed at its end.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { logger, metrics, publishCounts } from '../adapters/observability';
import { loadTracing } from '../adapters/tracing-switch';

/** The tracer's middleware, loaded by the first invocation that reaches it. */
function lazyTracing(load: NonNullable<ReturnType<typeof loadTracing>>): MiddlewareObj {
  const tracing = load.then((module) => module.tracingMiddleware);
  return {
    before: async (request) => (await tracing).before?.(request),
    after: async (request) => (await tracing).after?.(request),
    onError: async (request) => (await tracing).onError?.(request),
  };
}

export function withObservability<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  const chain = middy(handler);
  const tracing = loadTracing();
  if (tracing) chain.use(lazyTracing(tracing));
  return (
    chain
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use(logMetrics(metrics, { captureColdStartMetric: true }))
      // Used last, so it runs first on the way out: the invocation's summed counts, then the metrics flush.
      .use({ after: publishCounts, onError: publishCounts })
  );
}
