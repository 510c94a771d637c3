import { getMember, listMembers } from '../../../functions/use-cases/get-member';
import { saveMember } from '../../../functions/use-cases/save-member';
import { memberWorld, operator } from '../../support/member-world';

async function setup() {
  const world = memberWorld();
  for (const [accountId, userId, role] of [
    ['acme', 'carol', 'viewer'],
    ['acme', 'alice', 'owner'],
    ['other', 'bob', 'editor'],
  ] as const)
    await saveMember(world.deps, operator, accountId, userId, { email: `${userId}@example.com`, role });
  return world;
}

describe('reading members', () => {
  test('one membership, as granted', async () => {
    const { deps } = await setup();
    expect(await getMember(deps, 'acme', 'alice')).toMatchObject({
      accountId: 'acme',
      userId: 'alice',
      email: 'alice@example.com',
      role: 'owner',
    });
  });

  test('someone who is no member here, even if a member elsewhere, is a not-found', async () => {
    const { deps } = await setup();
    await expect(getMember(deps, 'acme', 'bob')).rejects.toMatchObject({
      status: 404,
      message: 'No such member',
    });
  });

  test("the account's members, and no other account's", async () => {
    const { deps } = await setup();
    expect((await listMembers(deps, 'acme')).map((m) => [m.userId, m.role])).toEqual([
      ['alice', 'owner'],
      ['carol', 'viewer'],
    ]);
    expect(await listMembers(deps, 'empty')).toEqual([]);
  });
});
