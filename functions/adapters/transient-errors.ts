/**
 * Tells a passing AWS failure (throttling, 5xx, timeouts, lost connections), worth retrying through SQS,
 * from an error that would fail the same way every time.
 */
const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalServerErrorException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TransactionConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'WriteConflictError',
  'ServiceUnavailableError',
]);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const details = error as Error & {
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (TRANSIENT_NAMES.has(details.name)) return true;
  if (details.code && TRANSIENT_CODES.has(details.code)) return true;
  if (details.$retryable) return true;
  const status = details.$metadata?.httpStatusCode;
  return status !== undefined && (status >= 500 || status === 429);
}
