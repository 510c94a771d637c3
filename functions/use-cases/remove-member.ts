/**
 * Takes a person's role on an account away, at once (the membership read on every call finds nothing).
 * Their sign-in stays: they may belong to other accounts.
 */
import type { Principal } from '../domain/access';
import { NotFoundError } from '../domain/errors';
import type { MembershipRepository } from '../ports/membership-repository';
import { refuseOwnMembership } from './save-member';

export async function removeMember(
  deps: { memberships: MembershipRepository },
  principal: Principal,
  accountId: string,
  userId: string,
): Promise<{ accountId: string; userId: string; removed: true }> {
  refuseOwnMembership(principal, userId);
  if (!(await deps.memberships.remove(accountId, userId))) throw new NotFoundError('No such member');
  return { accountId, userId, removed: true };
}
