/**
 * Sign-in, and where every API call of the console gets its credentials. One module for every place the
 * console runs: the authorization code flow with PKCE (S256) against the hosted sign-in named in
 * config.json next to the page: Cognito's domain in AWS, the local identity provider (`/local-idp`, the
 * same endpoints) under `npm start`. The access token stays in this tab's sessionStorage until it expires
 * or the person signs out. Nothing here decides what the person may do: the API does, per account.
 */
import { OPERATORS_GROUP } from '../../functions/domain/access';
import type { ConsoleConfig } from '../../lib/console-definition';

type SignInConfig = NonNullable<ConsoleConfig['signIn']>;

/** Who is signed in, as the token says (shown in the header; the API checks the token itself). */
export interface Session {
  readonly userId: string;
  readonly operator: boolean;
  readonly expiresAt: number;
}

const TOKEN_KEY = 'console.auth.token';
const PENDING_KEY = 'console.auth.pending';
/** A token this close to expiry is not sent: the call would race its expiry. */
const EXPIRY_MARGIN_MS = 30_000;

interface StoredToken {
  readonly accessToken: string;
  readonly expiresAt: number;
}

interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  /** The console address to come back to (account and page). */
  readonly hash: string;
}

let configuration: Promise<SignInConfig | null> | null = null;

/** Where people sign in; null when the console is served without sign-in. */
export function signInConfig(): Promise<SignInConfig | null> {
  configuration ??= fetch(new URL('config.json', location.href), { headers: { accept: 'application/json' } })
    .then(async (response) =>
      response.ok ? (((await response.json()) as ConsoleConfig).signIn ?? null) : null,
    )
    .catch(() => null);
  return configuration;
}

const consoleUrl = () => `${location.origin}${location.pathname}`;
const endpoint = (config: SignInConfig, path: string) => `${config.domain.replace(/\/+$/, '')}${path}`;

function base64Url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const randomString = (bytes = 32) => base64Url(crypto.getRandomValues(new Uint8Array(bytes)));

async function challengeOf(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

function readJson<T>(key: string): T | null {
  try {
    const text = sessionStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

function storedToken(): StoredToken | null {
  const token = readJson<StoredToken>(TOKEN_KEY);
  if (!token || token.expiresAt - EXPIRY_MARGIN_MS <= Date.now()) {
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }
  return token;
}

/** The token's claims, for the header only (its signature is the API's business). */
function claimsOf(accessToken: string): Record<string, unknown> {
  try {
    const payload = accessToken.split('.')[1] ?? '';
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The signed-in person, or null. */
export function currentSession(): Session | null {
  const token = storedToken();
  if (!token) return null;
  const claims = claimsOf(token.accessToken);
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as unknown[]) : [];
  return {
    userId: typeof claims.username === 'string' ? claims.username : 'unknown user',
    operator: groups.includes(OPERATORS_GROUP),
    expiresAt: token.expiresAt,
  };
}

/** The Authorization header value for the next API call, or null when the call goes without one. */
export async function authorizationHeader(): Promise<string | null> {
  const token = storedToken();
  return token ? `Bearer ${token.accessToken}` : null;
}

/** Goes to the hosted sign-in; the person comes back to this page and account, signed in. */
export async function signIn(): Promise<void> {
  const config = await signInConfig();
  if (!config) throw new Error('This console is served without sign-in.');
  const pending: PendingSignIn = { state: randomString(16), verifier: randomString(48), hash: location.hash };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: consoleUrl(),
    scope: 'openid email',
    state: pending.state,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: 'S256',
  });
  location.assign(`${endpoint(config, '/oauth2/authorize')}?${query}`);
}

/** Forgets the token, then ends the hosted sign-in's own session, which sends the person back here. */
export async function signOut(): Promise<void> {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const config = await signInConfig();
  if (!config) return;
  location.assign(
    `${endpoint(config, '/logout')}?${new URLSearchParams({ client_id: config.clientId, logout_uri: consoleUrl() })}`,
  );
}

/**
 * On the way back from the hosted sign-in (`?code=...&state=...`): trades the code for a token with the
 * verifier only this tab holds, then puts the address back as it was before signing in. Resolves with
 * words for the person when it failed, else null.
 */
export async function completeSignIn(): Promise<string | null> {
  const query = new URLSearchParams(location.search);
  if (!query.has('code') && !query.has('error')) return null;
  const pending = readJson<PendingSignIn>(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', `${consoleUrl()}${pending?.hash ?? location.hash}`);
  if (query.has('error'))
    return `Sign-in did not complete (${query.get('error_description') ?? query.get('error')}). Sign in again.`;
  if (!pending || pending.state !== query.get('state'))
    return 'That sign-in was not started from this tab. Sign in again.';
  const config = await signInConfig();
  if (!config) return 'This console is served without sign-in.';
  try {
    const response = await fetch(endpoint(config, '/oauth2/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: config.clientId,
        code: query.get('code')!,
        redirect_uri: consoleUrl(),
        code_verifier: pending.verifier,
      }),
    });
    const answer = (await response.json()) as {
      access_token?: string;
      expires_in?: number;
      error_description?: string;
    };
    if (!response.ok || !answer.access_token)
      return `Sign-in failed: ${answer.error_description ?? `HTTP ${response.status}`}. Sign in again.`;
    const token: StoredToken = {
      accessToken: answer.access_token,
      expiresAt: Date.now() + (answer.expires_in ?? 3600) * 1000,
    };
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify(token));
    return null;
  } catch {
    return 'The sign-in service did not answer. Check your connection, then sign in again.';
  }
}
