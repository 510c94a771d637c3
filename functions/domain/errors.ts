/**
 * Typed errors of the use cases. Handlers map them to HTTP status in one place (functions/handlers/http.ts).
 * Why a postback is rejected is not one of these but a Rejection (postback.ts): data kept with the postback.
 */
export abstract class ServiceError extends Error {
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 414 | 422 | 503;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends ServiceError {
  readonly status = 400;
}
/** No valid credential: missing, expired, forged, or not a token this API accepts. */
export class UnauthorizedError extends ServiceError {
  readonly status = 401;
  constructor(message = 'Sign in to use this API') {
    super('unauthorized', message);
  }
}
/** A valid caller without the right to this operation; the message never names or describes the account. */
export class ForbiddenError extends ServiceError {
  readonly status = 403;
  constructor(message = 'You do not have access to this operation') {
    super('forbidden', message);
  }
}
export class NotFoundError extends ServiceError {
  readonly status = 404;
  constructor(message = 'Not found') {
    super('not_found', message);
  }
}
export class ConflictError extends ServiceError {
  readonly status = 409;
}
export class ValidationError extends ServiceError {
  readonly status = 422;
  constructor(
    message: string,
    readonly fields: Record<string, string[]> = {},
  ) {
    super('validation_failed', message);
  }
}
export class PayloadTooLargeError extends ServiceError {
  readonly status = 413;
  constructor(message: string) {
    super('payload_too_large', message);
  }
}
export class UriTooLongError extends ServiceError {
  readonly status = 414;
  constructor(message: string) {
    super('uri_too_long', message);
  }
}
/** The queue or table could not take the postback now; Buygoods will retry. */
export class ServiceUnavailableError extends ServiceError {
  readonly status = 503;
  constructor(message = 'Temporarily unavailable, please retry') {
    super('service_unavailable', message);
  }
}

/** A conditional write lost a race; the caller re-reads and decides again (not a ServiceError: no HTTP status). */
export class WriteConflictError extends Error {
  constructor(message = 'conditional write failed') {
    super(message);
    this.name = 'WriteConflictError';
  }
}
