/**
 * Signing in as a person does: the console's Sign in button, the local stand-in of the hosted sign-in
 * page (who you are, which account, which role), and back to the console with a token. And the test's
 * own calls to the management API, which carry an operator's token as `npm run login` prints it.
 */
import type { Page } from 'playwright-core';
import { login } from '../../../scripts/login';

export interface Person {
  readonly user: string;
  readonly account: string;
  readonly role: 'viewer' | 'editor' | 'owner';
}

/** From a console page: Sign in, the hosted page's form, and back on the same page, signed in. */
export async function signInThroughConsole(page: Page, person: Person): Promise<void> {
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Sign in to the local service' }).waitFor();
  await page.getByLabel('User').fill(person.user);
  await page.getByLabel('Account').fill(person.account);
  await page.getByLabel('Role').selectOption(person.role);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${person.user}`).waitFor();
}

/** A fetch of the management API as an operator (the test's own checks of what the page shows). */
export async function operatorFetch(
  origin: string,
): Promise<(path: string, init?: RequestInit) => Promise<Response>> {
  const { accessToken } = await login(origin, { role: 'operator' });
  return (path, init = {}) =>
    fetch(`${origin}${path}`, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        authorization: `Bearer ${accessToken}`,
      },
    });
}
