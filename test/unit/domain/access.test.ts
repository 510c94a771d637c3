/** The access decision: roles include the weaker ones, operators reach everything, the table fails closed. */
import {
  decideAccess,
  operationTableOf,
  roleIncludes,
  ROLES,
  type Principal,
} from '../../../functions/domain/access';
import { ForbiddenError } from '../../../functions/domain/errors';

const table = operationTableOf({
  paths: {
    '/v1/accounts/{accountId}/orders/{orderId}': { get: { 'x-required-role': 'viewer' }, parameters: [] },
    '/v1/accounts/{accountId}/links/{linkId}': { put: { 'x-required-role': 'editor' } },
    '/v1/accounts/{accountId}/integrations/buygoods/rotate': { post: { 'x-required-role': 'owner' } },
    '/v1/accounts/{accountId}/forgotten': { post: { summary: 'no role' } },
    '/v1/accounts/{accountId}/misspelt': { post: { 'x-required-role': 'admin' } },
    '/v1/click/{linkId}': { get: { 'x-required-role': 'viewer' } },
  },
});
const member = (userId = 'alice'): Principal => ({ kind: 'member', userId });
const refusal = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return null;
};

test('each role includes the weaker ones and none of the stronger', () => {
  expect(
    ROLES.flatMap((held) =>
      ROLES.filter((needed) => roleIncludes(held, needed)).map((needed) => `${held}>=${needed}`),
    ),
  ).toEqual([
    'viewer>=viewer',
    'editor>=viewer',
    'editor>=editor',
    'owner>=viewer',
    'owner>=editor',
    'owner>=owner',
  ]);
});

test('the table holds the account operations with a valid role, and leaves out the others', () => {
  expect([...table.entries()]).toEqual([
    ['GET /v1/accounts/{accountId}/orders/{orderId}', 'viewer'],
    ['PUT /v1/accounts/{accountId}/links/{linkId}', 'editor'],
    ['POST /v1/accounts/{accountId}/integrations/buygoods/rotate', 'owner'],
  ]);
});

test('a member needs a role on the account that includes the operation', () => {
  const operation = 'PUT /v1/accounts/{accountId}/links/{linkId}';
  expect(
    refusal(() => decideAccess(table, { principal: member(), operation, membership: 'editor' })),
  ).toBeNull();
  expect(
    refusal(() => decideAccess(table, { principal: member(), operation, membership: 'owner' })),
  ).toBeNull();
  const viewer = refusal(() => decideAccess(table, { principal: member(), operation, membership: 'viewer' }));
  expect(viewer).toBeInstanceOf(ForbiddenError);
  expect((viewer as ForbiddenError).message).toBe('This operation needs the editor role on this account');
});

test('a member of no role on the account is refused with words that say nothing about it', () => {
  const error = refusal(() =>
    decideAccess(table, {
      principal: member(),
      operation: 'GET /v1/accounts/{accountId}/orders/{orderId}',
      membership: null,
    }),
  );
  expect(error).toBeInstanceOf(ForbiddenError);
  expect({ code: (error as ForbiddenError).code, message: (error as ForbiddenError).message }).toEqual({
    code: 'forbidden',
    message: 'You do not have access to this operation',
  });
});

test('an operation missing from the table is refused to every member, even an owner; operators may run it', () => {
  for (const operation of [
    'POST /v1/accounts/{accountId}/forgotten',
    'POST /v1/accounts/{accountId}/misspelt',
    'GET /v1/accounts/{accountId}/unknown',
  ]) {
    expect(
      refusal(() => decideAccess(table, { principal: member(), operation, membership: 'owner' })),
    ).toBeInstanceOf(ForbiddenError);
    expect(
      refusal(() =>
        decideAccess(table, {
          principal: { kind: 'operator', id: 'arn:aws:iam::1:role/ops' },
          operation,
          membership: null,
        }),
      ),
    ).toBeNull();
  }
});
