import type { Role } from '../domain/access';
import type { Member } from '../domain/member';

/** Who belongs to which account, with which role (ledger items; read on every member's management call). */
export interface MembershipRepository {
  /** The user's role on the account, or null: one strongly consistent read, so a removal takes effect at once. */
  getRole(accountId: string, userId: string): Promise<Role | null>;
  get(accountId: string, userId: string): Promise<Member | null>;
  put(member: Member): Promise<void>;
  /** Returns false when there was no such membership. */
  remove(accountId: string, userId: string): Promise<boolean>;
  listByAccount(accountId: string): Promise<Member[]>;
}
