/**
 * Typed errors of the use cases. Handlers map them to HTTP status in one place (functions/handlers/http.ts).
 */
export abstract class ServiceError extends Error {
  abstract readonly status: 400 | 404 | 409 | 413 | 414 | 422 | 503;
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
