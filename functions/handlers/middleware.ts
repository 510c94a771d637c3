/**
 * The one middleware stack every handler shares (middy + Powertools): an X-Ray segment per invocation,
 * Lambda context and cold start in every log line with correlation keys reset between invocations, and
 * the invocation's EMF metrics and summed counts flushed at its end.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import { logger, metrics, publishCounts, tracer } from '../adapters/observability';

export function withObservability<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return middy(handler)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    // Used last, so it runs first on the way out: the invocation's summed counts, then the metrics flush.
    .use({ after: publishCounts, onError: publishCounts });
}
