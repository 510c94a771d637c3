/** The people who can sign in (the stage's Cognito user pool in AWS). */
export interface UserDirectory {
  /**
   * Makes sure the user exists: invites them by e-mail when they do not (in AWS, Cognito sends the
   * invitation with a temporary password). Fails with ConflictError when the user exists with another
   * e-mail address.
   */
  ensureUser(userId: string, email: string): Promise<'invited' | 'existing'>;
}
