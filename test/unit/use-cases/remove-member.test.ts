import { removeMember } from '../../../functions/use-cases/remove-member';
import { saveMember } from '../../../functions/use-cases/save-member';
import { memberWorld, operator, owner } from '../../support/member-world';

async function setup() {
  const world = memberWorld();
  await saveMember(world.deps, operator, 'acme', 'olga', { email: 'olga@example.com', role: 'owner' });
  await saveMember(world.deps, owner, 'acme', 'alice', { email: 'alice@example.com', role: 'editor' });
  return world;
}

describe('removing a member', () => {
  test('the role is gone at once, and the answer says so', async () => {
    const { deps, memberships } = await setup();
    expect(await removeMember(deps, owner, 'acme', 'alice')).toEqual({
      accountId: 'acme',
      userId: 'alice',
      removed: true,
    });
    expect(await memberships.getRole('acme', 'alice')).toBeNull();
    expect(await memberships.getRole('acme', 'olga')).toBe('owner');
  });

  test('someone who is not a member is a not-found', async () => {
    const { deps } = await setup();
    await expect(removeMember(deps, owner, 'acme', 'bob')).rejects.toMatchObject({
      status: 404,
      message: 'No such member',
    });
    await expect(removeMember(deps, owner, 'other', 'alice')).rejects.toMatchObject({ status: 404 });
  });

  test('nobody removes themselves (the last owner cannot lock the account out by accident)', async () => {
    const { deps, memberships } = await setup();
    await expect(removeMember(deps, owner, 'acme', 'olga')).rejects.toMatchObject({
      status: 409,
      code: 'own_membership',
    });
    expect(await memberships.getRole('acme', 'olga')).toBe('owner');
  });

  test('an operator may remove anyone', async () => {
    const { deps, memberships } = await setup();
    await removeMember(deps, operator, 'acme', 'olga');
    expect(await memberships.get('acme', 'olga')).toBeNull();
  });
});
