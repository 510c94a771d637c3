import type { OperationTable, Principal } from '../../../functions/domain/access';
import { ForbiddenError } from '../../../functions/domain/errors';
import { authorizeOperation } from '../../../functions/use-cases/authorize-operation';
import { InMemoryMemberships } from '../../support/fakes';

const READ = 'GET /v1/accounts/{accountId}/orders/{orderId}';
const CHANGE = 'PUT /v1/accounts/{accountId}/links/{linkId}';
const OWN = 'POST /v1/accounts/{accountId}/integrations/buygoods';
const operations: OperationTable = new Map([
  [READ, 'viewer'],
  [CHANGE, 'editor'],
  [OWN, 'owner'],
]);

async function setup() {
  const memberships = new InMemoryMemberships();
  const grant = (accountId: string, userId: string, role: 'viewer' | 'editor' | 'owner') =>
    memberships.put({
      accountId,
      userId,
      email: `${userId}@example.com`,
      role,
      createdAt: 'x',
      updatedAt: 'x',
      grantedBy: 'op',
    });
  await grant('acme', 'vera', 'viewer');
  await grant('acme', 'ed', 'editor');
  await grant('acme', 'olga', 'owner');
  await grant('other', 'zoe', 'owner');
  return { memberships, deps: { memberships, operations } };
}
const member = (userId: string): Principal => ({ kind: 'member', userId });

describe('authorizing a management operation', () => {
  test('an operator may do anything on any account, with no membership read', async () => {
    const { deps, memberships } = await setup();
    const reads = jest.spyOn(memberships, 'getRole');
    const operator: Principal = { kind: 'operator', id: 'arn:aws:iam::1:role/ops' };
    for (const operation of [READ, OWN, 'DELETE /v1/accounts/{accountId}/unknown'])
      await expect(authorizeOperation(deps, operator, 'nowhere', operation)).resolves.toBeUndefined();
    expect(reads).not.toHaveBeenCalled();
  });

  test.each([
    ['vera', READ],
    ['ed', READ],
    ['ed', CHANGE],
    ['olga', READ],
    ['olga', CHANGE],
    ['olga', OWN],
  ])('%s may %s (a role includes the weaker ones)', async (userId, operation) => {
    const { deps } = await setup();
    await expect(authorizeOperation(deps, member(userId), 'acme', operation)).resolves.toBeUndefined();
  });

  test.each([
    ['vera', CHANGE, 'editor'],
    ['vera', OWN, 'owner'],
    ['ed', OWN, 'owner'],
  ])('%s may not %s: refused, naming the role it needs', async (userId, operation, needed) => {
    const { deps } = await setup();
    await expect(authorizeOperation(deps, member(userId), 'acme', operation)).rejects.toMatchObject({
      status: 403,
      message: `This operation needs the ${needed} role on this account`,
    });
  });

  test('the role is read for the account of the path: an owner elsewhere is nobody here', async () => {
    const { deps, memberships } = await setup();
    const reads = jest.spyOn(memberships, 'getRole');
    const refusal = await authorizeOperation(deps, member('zoe'), 'acme', READ).catch((e: unknown) => e);
    expect(reads).toHaveBeenCalledWith('acme', 'zoe');
    expect(refusal).toBeInstanceOf(ForbiddenError);
    expect(refusal).toMatchObject({ message: 'You do not have access to this operation' });
  });

  test("each account's members act on it, and only on it", async () => {
    const { deps } = await setup();
    await expect(authorizeOperation(deps, member('zoe'), 'other', OWN)).resolves.toBeUndefined();
    await expect(authorizeOperation(deps, member('olga'), 'other', READ)).rejects.toMatchObject({
      status: 403,
    });
  });

  test('the refusal of a stranger reads the same whether the account exists or not', async () => {
    const { deps } = await setup();
    const refusals = await Promise.all(
      ['acme', 'no-such-account'].map((accountId) =>
        authorizeOperation(deps, member('stranger'), accountId, READ).catch((e: ForbiddenError) => [
          e.status,
          e.message,
        ]),
      ),
    );
    expect(refusals[0]).toEqual(refusals[1]);
  });

  test('an operation missing from the table is refused even to an owner (fail closed)', async () => {
    const { deps } = await setup();
    await expect(
      authorizeOperation(deps, member('olga'), 'acme', 'DELETE /v1/accounts/{accountId}/everything'),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  test('a removed member is refused on the next call', async () => {
    const { deps, memberships } = await setup();
    await authorizeOperation(deps, member('ed'), 'acme', CHANGE);
    await memberships.remove('acme', 'ed');
    await expect(authorizeOperation(deps, member('ed'), 'acme', READ)).rejects.toMatchObject({ status: 403 });
  });
});
