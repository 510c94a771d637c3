/**
 * The people who can sign in, in the stage's Cognito user pool. An invitation is AdminCreateUser: Cognito
 * e-mails the person a temporary password (no self sign-up exists), with their e-mail marked verified so
 * it is also their sign-in alias.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConflictError } from '../domain/errors';
import type { UserDirectory } from '../ports/user-directory';

const EMAIL_IN_USE = new ConflictError(
  'email_in_use',
  'Another user already signs in with this e-mail address',
);
const OTHER_EMAIL = new ConflictError(
  'user_email_mismatch',
  'This user id belongs to a user with another e-mail address',
);

export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  private async emailOf(userId: string): Promise<string | null> {
    try {
      const user = await this.client.send(
        new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: userId }),
      );
      return user.UserAttributes?.find((attribute) => attribute.Name === 'email')?.Value?.toLowerCase() ?? '';
    } catch (error) {
      if ((error as Error).name === 'UserNotFoundException') return null;
      throw error;
    }
  }

  async ensureUser(userId: string, email: string): Promise<'invited' | 'existing'> {
    const known = await this.emailOf(userId);
    if (known !== null) {
      if (known !== email) throw OTHER_EMAIL;
      return 'existing';
    }
    try {
      await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: userId,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      return 'invited';
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'AliasExistsException') throw EMAIL_IN_USE;
      // Invited by a concurrent request: the same outcome if the address is the same.
      if (name === 'UsernameExistsException') return this.ensureUser(userId, email);
      throw error;
    }
  }
}

/**
 * Local mode's stand-in for the user pool: it remembers invited users in the process (with the same
 * e-mail rules) and sends nothing; the person "signs in" with `npm run login -- --user <userId>`.
 */
export class LocalUserDirectory implements UserDirectory {
  private readonly users = new Map<string, string>();

  async ensureUser(userId: string, email: string): Promise<'invited' | 'existing'> {
    const known = this.users.get(userId);
    if (known !== undefined) {
      if (known !== email) throw OTHER_EMAIL;
      return 'existing';
    }
    if ([...this.users.values()].includes(email)) throw EMAIL_IN_USE;
    this.users.set(userId, email);
    return 'invited';
  }
}
