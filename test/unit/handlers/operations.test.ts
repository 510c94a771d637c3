/**
 * The operation table covers every management route: a route served (in the router, or routed to a
 * function in lib/resources.ts) without a role in docs/openapi.json fails here instead of being refused
 * to everyone but operators in production; and the caller is read from the authorizer's output.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ACCOUNT_PATH_PREFIX, isRole, REQUIRED_ROLE_EXTENSION } from '../../../functions/domain/access';
import { UnauthorizedError } from '../../../functions/domain/errors';
import { managementRoutes } from '../../../functions/handlers/management';
import { merchantRoutes } from '../../../functions/handlers/merchants';
import { MANAGEMENT_OPERATIONS, operationOf } from '../../../functions/handlers/operations';
import { principalOf } from '../../../functions/handlers/principal';
import { HTTP_ROUTES } from '../../../lib/resources';

const document = JSON.parse(readFileSync(path.join(__dirname, '../../../docs/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Record<string, unknown>>>;
};
const served = [...managementRoutes({} as never), ...merchantRoutes({} as never)].map((route) =>
  operationOf(route.method, route.pattern),
);

test('every management route served has a role in the operation table', () => {
  expect(served.filter((operation) => !MANAGEMENT_OPERATIONS.has(operation))).toEqual([]);
  expect(served.length).toBeGreaterThan(20);
});

test('every management operation of the document names a valid role', () => {
  const unnamed = Object.entries(document.paths)
    .filter(([route]) => route.startsWith(ACCOUNT_PATH_PREFIX))
    .flatMap(([route, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        operation: `${method.toUpperCase()} ${route}`,
        role: operation[REQUIRED_ROLE_EXTENSION],
      })),
    )
    .filter(({ role }) => !isRole(role));
  expect(unnamed).toEqual([]);
});

test('every management route of lib/resources.ts is under the accounts prefix, so the table and the check cover it', () => {
  const management = HTTP_ROUTES.filter((route) => route.auth === 'management');
  expect(management.length).toBeGreaterThan(0);
  for (const route of management) expect(route.path.startsWith('/v1/accounts/')).toBe(true);
  // Every public route is outside it: the check never runs there and nothing under it is public.
  for (const route of HTTP_ROUTES.filter((candidate) => candidate.auth === 'none'))
    expect(route.path.startsWith('/v1/accounts/')).toBe(false);
});

test('owners alone manage members, integrations and erasure; changes need an editor; reads a viewer', () => {
  const byRole = (role: string) =>
    served.filter((operation) => MANAGEMENT_OPERATIONS.get(operation) === role).sort();
  expect(byRole('owner')).toEqual(
    expect.arrayContaining([
      'DELETE /v1/accounts/{accountId}/customers',
      'DELETE /v1/accounts/{accountId}/integrations/buygoods',
      'POST /v1/accounts/{accountId}/integrations/buygoods',
      'POST /v1/accounts/{accountId}/integrations/buygoods/rotate',
      'PUT /v1/accounts/{accountId}/members/{userId}',
      'DELETE /v1/accounts/{accountId}/members/{userId}',
    ]),
  );
  for (const operation of byRole('viewer')) expect(operation.startsWith('GET ')).toBe(true);
  // The routes added with reads at scale and bulk replay: reads for viewers, the job and the time zone for editors.
  expect(byRole('editor')).toEqual(
    expect.arrayContaining([
      'POST /v1/accounts/{accountId}/postbacks/replay',
      'PUT /v1/accounts/{accountId}/settings',
    ]),
  );
  expect(byRole('viewer')).toEqual(
    expect.arrayContaining([
      'GET /v1/accounts/{accountId}/replays/{jobId}',
      'GET /v1/accounts/{accountId}/settings',
      'GET /v1/accounts/{accountId}/reports/links',
      'GET /v1/accounts/{accountId}/links',
      'GET /v1/accounts/{accountId}/merchants',
      'GET /v1/accounts/{accountId}/products',
    ]),
  );
});

const eventWith = (authorizer: unknown) =>
  ({ requestContext: { authorizer } }) as unknown as APIGatewayProxyEventV2;
const claims = (extra: Record<string, unknown>) =>
  eventWith({ jwt: { claims: { token_use: 'access', username: 'alice', ...extra }, scopes: null } });

describe('the caller', () => {
  it('is an operator when the operator API checked a SigV4 signature', () => {
    expect(
      principalOf(eventWith({ iam: { userArn: 'arn:aws:sts::1:assumed-role/ops/me', accountId: '1' } })),
    ).toEqual({ kind: 'operator', id: 'arn:aws:sts::1:assumed-role/ops/me' });
  });

  it('is a member named by the access token, or an operator when the token carries the group (as API Gateway renders it, or as an array)', () => {
    expect(principalOf(claims({}))).toEqual({ kind: 'member', userId: 'alice' });
    expect(principalOf(claims({ 'cognito:groups': '[editors operators]' }))).toEqual({
      kind: 'operator',
      id: 'user:alice',
    });
    expect(principalOf(claims({ 'cognito:groups': ['operators'] }))).toEqual({
      kind: 'operator',
      id: 'user:alice',
    });
    expect(principalOf(claims({ 'cognito:groups': '[not-operators]' }))).toEqual({
      kind: 'member',
      userId: 'alice',
    });
  });

  it('is refused (401) with no authorizer output, an ID token, or no usable user name', () => {
    for (const event of [
      eventWith(undefined),
      eventWith({}),
      claims({ token_use: 'id' }),
      claims({ username: undefined }),
      claims({ username: 'a/b' }),
    ]) {
      expect(() => principalOf(event)).toThrow(UnauthorizedError);
    }
  });
});
