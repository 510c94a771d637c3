/** The MembershipRepository contract (functions/ports/membership-repository.ts): against the fake and the DynamoDB adapter. */
import type { Role } from '../../functions/domain/access';
import type { Member } from '../../functions/domain/member';
import type { MembershipRepository } from '../../functions/ports/membership-repository';
import { at, freshAccount } from './records';

const member = (accountId: string, userId: string, role: Role = 'viewer'): Member => ({
  accountId,
  userId,
  email: `${userId}@example.com`,
  role,
  createdAt: at(0),
  updatedAt: at(0),
  grantedBy: 'user:owner',
});

export function describeMembershipRepositoryContract(
  name: string,
  makeRepository: () => MembershipRepository | Promise<MembershipRepository>,
): void {
  describe(`MembershipRepository contract: ${name}`, () => {
    let memberships: MembershipRepository;
    let account: string;
    beforeEach(async () => {
      memberships = await makeRepository();
      account = freshAccount('mbr');
    });

    test('a membership put reads back whole, and its role alone; an unknown one reads as null', async () => {
      expect(await memberships.get(account, 'alice')).toBeNull();
      expect(await memberships.getRole(account, 'alice')).toBeNull();
      await memberships.put(member(account, 'alice', 'editor'));
      expect(await memberships.get(account, 'alice')).toEqual(member(account, 'alice', 'editor'));
      expect(await memberships.getRole(account, 'alice')).toBe('editor');
    });

    test('a put replaces the membership: the new role is read at once', async () => {
      await memberships.put(member(account, 'alice', 'owner'));
      await memberships.put({ ...member(account, 'alice', 'viewer'), updatedAt: at(5) });
      expect(await memberships.getRole(account, 'alice')).toBe('viewer');
      expect(await memberships.get(account, 'alice')).toMatchObject({ role: 'viewer', updatedAt: at(5) });
    });

    test('a role on one account is no role on another', async () => {
      await memberships.put(member(account, 'alice', 'owner'));
      const other = freshAccount('mbr');
      expect(await memberships.getRole(other, 'alice')).toBeNull();
      expect(await memberships.get(other, 'alice')).toBeNull();
    });

    test('remove says whether there was a membership, and takes it away at once', async () => {
      await memberships.put(member(account, 'alice'));
      expect(await memberships.remove(account, 'alice')).toBe(true);
      expect(await memberships.getRole(account, 'alice')).toBeNull();
      expect(await memberships.get(account, 'alice')).toBeNull();
      expect(await memberships.remove(account, 'alice')).toBe(false);
    });

    test("listByAccount lists the account's members in user id order, and no other account's", async () => {
      const other = freshAccount('mbr');
      for (const userId of ['carol', 'alice', 'bob']) await memberships.put(member(account, userId));
      await memberships.put(member(other, 'dave'));
      expect(await memberships.listByAccount(account)).toEqual([
        member(account, 'alice'),
        member(account, 'bob'),
        member(account, 'carol'),
      ]);
      expect(await memberships.listByAccount(freshAccount('mbr'))).toEqual([]);
    });
  });
}
