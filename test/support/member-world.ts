/** The member use cases' dependencies: in-memory memberships, the in-process user directory, a clock. */
import { LocalUserDirectory } from '../../functions/adapters/cognito-user-directory';
import type { Principal } from '../../functions/domain/access';
import { FixedClock, InMemoryMemberships } from './fakes';

export const owner: Principal = { kind: 'member', userId: 'olga' };
export const operator = {
  kind: 'operator',
  id: 'arn:aws:iam::123456789012:role/ops',
} as const satisfies Principal;

export function memberWorld() {
  const memberships = new InMemoryMemberships();
  const users = new LocalUserDirectory();
  const clock = new FixedClock();
  const invitations = jest.spyOn(users, 'ensureUser');
  return { memberships, users, clock, invitations, deps: { memberships, users, clock } };
}
