/**
 * The one place that decides whether the caller may run a management operation on an account: operators
 * always, a member when their role there includes the operation's (a single membership read).
 */
import { decideAccess, type OperationTable, type Principal } from '../domain/access';
import type { MembershipRepository } from '../ports/membership-repository';

export interface AccessDependencies {
  readonly memberships: Pick<MembershipRepository, 'getRole'>;
  readonly operations: OperationTable;
}

export async function authorizeOperation(
  deps: AccessDependencies,
  principal: Principal,
  accountId: string,
  operation: string,
): Promise<void> {
  const membership =
    principal.kind === 'member' ? await deps.memberships.getRole(accountId, principal.userId) : null;
  decideAccess(deps.operations, { principal, operation, membership });
}
