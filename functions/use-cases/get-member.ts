/** One membership of an account, or the account's members. */
import { NotFoundError } from '../domain/errors';
import type { Member } from '../domain/member';
import type { MembershipRepository } from '../ports/membership-repository';

export async function getMember(
  deps: { memberships: MembershipRepository },
  accountId: string,
  userId: string,
): Promise<Member> {
  const member = await deps.memberships.get(accountId, userId);
  if (!member) throw new NotFoundError('No such member');
  return member;
}

export function listMembers(
  deps: { memberships: MembershipRepository },
  accountId: string,
): Promise<Member[]> {
  return deps.memberships.listByAccount(accountId);
}
