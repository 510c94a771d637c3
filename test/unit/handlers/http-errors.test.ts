/**
 * Error answers: typed errors keep their status, a passing AWS failure is a 503 the caller retries (so
 * Buygoods re-sends instead of giving up), anything else a generic 500; every answer has a JSON body.
 */
import { errorResponse } from '../../../functions/handlers/http';
import { NotFoundError } from '../../../functions/domain/errors';
import { logger } from '../../../functions/adapters/observability';

const awsError = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });

test.each([
  ['ThrottlingException', awsError('ThrottlingException')],
  ['ProvisionedThroughputExceededException', awsError('ProvisionedThroughputExceededException')],
  ['a 500 from DynamoDB', awsError('InternalServerError', { $metadata: { httpStatusCode: 500 } })],
  ['a client timeout', awsError('TimeoutError')],
])('%s answers 503 service_unavailable', (_, error) => {
  const response = errorResponse(error);
  expect(response.statusCode).toBe(503);
  expect(JSON.parse(response.body)).toEqual({
    error: { code: 'service_unavailable', message: expect.any(String) },
  });
});

test('typed errors keep their status and a programming error is a 500 with a body, logged as an error', () => {
  const logged = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  expect(errorResponse(new NotFoundError()).statusCode).toBe(404);
  const response = errorResponse(new TypeError('x is undefined'));
  expect(logged).toHaveBeenCalledWith('unhandled error', { error: expect.any(TypeError) });
  logged.mockRestore();
  expect(response.statusCode).toBe(500);
  expect(JSON.parse(response.body).error.code).toBe('internal_error');
  expect(response.body).not.toContain('x is undefined');
});
