/**
 * X-Ray tracing through Powertools, loaded only where tracing is on (./tracing-switch.ts): a segment per
 * invocation and a subsegment per AWS SDK call, on every client the function built, before this module
 * loaded or after.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { traceClients } from './clients';
import { serviceName } from './observability';

export const tracer = new Tracer({ serviceName });

traceClients((client) => tracer.captureAWSv3Client(client));

/** The middy middleware of an invocation's segment (the response is not recorded: it may hold ids). */
export const tracingMiddleware = captureLambdaHandler(tracer, { captureResponse: false });
