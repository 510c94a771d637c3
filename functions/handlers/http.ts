/**
 * HTTP translation shared by the API handlers: reading an API Gateway v2 event, building responses that
 * always carry a body, and mapping typed errors to status codes in one place.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ServiceError, ServiceUnavailableError, ValidationError } from '../domain/errors';
import { logger } from '../adapters/observability';
import { isTransientError } from '../adapters/transient-errors';

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

export function json(
  statusCode: number,
  payload: unknown,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(payload),
  };
}

export function text(statusCode: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body,
  };
}

export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

/**
 * Typed errors become their status; a passing AWS failure (throttling, 5xx, timeouts) a 503 the caller
 * can retry; anything else is logged and answered with a generic 500 body.
 */
export function errorResponse(error: unknown): HttpResponse {
  if (error instanceof ValidationError)
    return json(error.status, errorBody(error.code, error.message, { fields: error.fields }));
  if (error instanceof ServiceError) return json(error.status, errorBody(error.code, error.message));
  if (isTransientError(error)) {
    logger.warn('transient failure answered 503', { error: error as Error });
    const unavailable = new ServiceUnavailableError();
    return json(unavailable.status, errorBody(unavailable.code, unavailable.message));
  }
  logger.error('unhandled error', { error: error as Error });
  return json(
    500,
    errorBody('internal_error', 'Something went wrong on our side; the request can be retried'),
  );
}

export function header(event: APIGatewayProxyEventV2, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  return null;
}

export function bodyText(event: APIGatewayProxyEventV2): string | null {
  if (event.body === undefined || event.body === null) return null;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function baseUrl(event: APIGatewayProxyEventV2): string {
  const protocol = header(event, 'x-forwarded-proto') ?? 'https';
  return `${protocol}://${event.requestContext.domainName}`;
}

export function queryParameters(event: APIGatewayProxyEventV2): Record<string, string | undefined> {
  return { ...(event.queryStringParameters ?? {}) };
}
