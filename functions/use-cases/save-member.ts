/**
 * Grants a person a role on an account (an owner's or an operator's act): invites them when they cannot
 * sign in yet, then records the membership. Nobody changes their own membership, so an owner cannot
 * lock the account out by accident.
 */
import type { Principal } from '../domain/access';
import { ConflictError } from '../domain/errors';
import { memberInputSchema, type Member } from '../domain/member';
import type { Clock } from '../ports/clock';
import type { MembershipRepository } from '../ports/membership-repository';
import type { UserDirectory } from '../ports/user-directory';
import { validateInput } from './validate-input';

export interface MemberDependencies {
  readonly memberships: MembershipRepository;
  readonly users: UserDirectory;
  readonly clock: Clock;
}

export const actorOf = (principal: Principal) =>
  principal.kind === 'operator' ? principal.id : `user:${principal.userId}`;

export function refuseOwnMembership(principal: Principal, userId: string): void {
  if (principal.kind === 'member' && principal.userId === userId) {
    throw new ConflictError(
      'own_membership',
      'You cannot change or remove your own membership; ask another owner',
    );
  }
}

export async function saveMember(
  deps: MemberDependencies,
  principal: Principal,
  accountId: string,
  userId: string,
  body: unknown,
): Promise<{ member: Member; created: boolean; invitation: 'invited' | 'existing' }> {
  const input = validateInput(memberInputSchema, body, 'member');
  refuseOwnMembership(principal, userId);
  const invitation = await deps.users.ensureUser(userId, input.email);
  const existing = await deps.memberships.get(accountId, userId);
  const now = deps.clock.now().toISOString();
  const member: Member = {
    accountId,
    userId,
    email: input.email,
    role: input.role,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    grantedBy: actorOf(principal),
  };
  await deps.memberships.put(member);
  return { member, created: !existing, invitation };
}
