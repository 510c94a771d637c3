/**
 * Where every API call of the console gets its credentials: the one module sign-in fills in. Today the
 * console runs on the API's own origin with no sign-in (local mode lets loopback calls through), so there
 * is no Authorization header; sign-in will return `Bearer <token>` here and make the hooks real.
 */

export interface Session {
  /** The account the console shows; chosen by the person today, taken from the token once sign-in exists. */
  readonly accountId: string | null;
}

/** The Authorization header value for the next API call, or null when the call goes without one. */
export async function authorizationHeader(): Promise<string | null> {
  return null;
}

/** Starts signing in (sign-in is not built yet: nothing to do). */
export async function signIn(): Promise<void> {}

/** Signs out (sign-in is not built yet: nothing to do). */
export async function signOut(): Promise<void> {}

/** Whether the console offers sign-in controls: false until sign-in exists. */
export const signInAvailable = false;
