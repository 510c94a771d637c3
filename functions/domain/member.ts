/**
 * A person's membership of an account: the role they hold there, and the e-mail address the invitation
 * went to. The shape the members routes accept, and the record kept.
 */
import { z } from 'zod';
import { ROLES, type Role } from './access';
import { readEmailAddress } from './email';

export const memberInputSchema = z.object({
  email: z
    .string()
    .max(254)
    .transform((value, context) => {
      const { value: email } = readEmailAddress(value);
      if (!email) context.addIssue({ code: 'custom', message: 'must be an e-mail address' });
      return email ?? '';
    }),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
});

export interface Member {
  readonly accountId: string;
  /** The sign-in name of the person (their Cognito username): the `username` claim of their tokens. */
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Who last granted or changed the role: an operator's IAM ARN or `user:<userId>`. */
  readonly grantedBy: string;
}
