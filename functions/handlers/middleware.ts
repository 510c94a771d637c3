/**
 * The one middleware stack every handler shares (middy): Lambda context and cold start in every log line,
 * correlation keys reset between invocations.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { logger } from '../adapters/logger';

export function withObservability<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return middy(handler).use(injectLambdaContext(logger, { resetKeys: true }));
}
