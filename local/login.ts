/**
 * Local mode's sign-in, standing in for the user pool's hosted sign-in: `POST /local-idp/login` with
 * {account, role} (and optionally user) records the local user's membership (as an owner's invitation would) and answers an
 * access token signed by the local key; {user} alone signs an invited user in as they are; role `operator` gives a token of the operators group. The JWKS
 * and a minimal discovery document are served as Cognito serves them. Loopback only, like the service.
 *
 * For the console, the same sign-in through the endpoints of Cognito's hosted page (`/oauth2/authorize`,
 * `/oauth2/token`, `/logout` under /local-idp): the authorization code flow with PKCE (S256), so the
 * console's one credentials module runs the same flow locally and in AWS. The local "hosted page" asks
 * who you are (user, account, role) instead of a password.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isRole, OPERATORS_GROUP } from '../functions/domain/access';
import { RESOURCE_ID } from '../functions/domain/ids';
import { bodyText } from '../functions/handlers/http';
import type { MembershipRepository } from '../functions/ports/membership-repository';
import type { LocalRoute } from './api-gateway';
import { LOCAL_IDP_PATH, type LocalIdentityProvider } from './identity-provider';

const reply = (statusCode: number, payload: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(payload),
});
const invalid = (message: string) => reply(400, { error: { code: 'invalid_login', message } });

function bodyOf(event: APIGatewayProxyEventV2): Record<string, unknown> | null {
  try {
    const text = bodyText(event) ?? '{}';
    const parsed: unknown = JSON.parse(text || '{}');
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const html = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  body,
});
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
const formOf = (event: APIGatewayProxyEventV2) => new URLSearchParams(bodyText(event) ?? '');
const oauthError = (error: string, description: string) =>
  reply(400, { error, error_description: description });
/** The console may only be sent back to itself, on this machine (as the app client's callback URLs say in AWS). */
const isConsoleUrl = (value: string) => {
  try {
    const url = new URL(value);
    return (
      url.protocol === 'http:' &&
      ['127.0.0.1', 'localhost'].includes(url.hostname) &&
      url.pathname.startsWith('/console/')
    );
  } catch {
    return false;
  }
};
const CODE_SECONDS = 300;

interface PendingCode {
  readonly userId: string;
  readonly operator: boolean;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly expiresAt: number;
}

function signInPage(query: URLSearchParams, problem = ''): string {
  const hidden = [
    'client_id',
    'redirect_uri',
    'state',
    'code_challenge',
    'code_challenge_method',
    'scope',
    'response_type',
  ]
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(query.get(name) ?? '')}">`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in (local)</title></head><body><main>
<h1>Sign in to the local service</h1><p>Local stand-in for the user pool's hosted sign-in: say who you are; nothing is checked but the form.</p>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post">${hidden}
<p><label>User <input name="user" autocomplete="username" placeholder="local-owner-acme"></label></p>
<p><label>Account <input name="account" placeholder="acme"></label></p>
<p><label>Role <select name="role"><option>owner</option><option>editor</option><option>viewer</option><option>operator</option><option value="">as invited</option></select></label></p>
<p><button type="submit">Sign in</button></p></form></main></body></html>`;
}

export function localIdentityRoutes(
  identity: LocalIdentityProvider,
  memberships: MembershipRepository,
): LocalRoute[] {
  const codes = new Map<string, PendingCode>();

  /** Who signs in, as the login body or the sign-in form says; the membership recorded when a role is named. */
  async function signIn(
    body: Record<string, unknown>,
  ): Promise<{ userId: string; operator: boolean } | string> {
    const { account, role } = body;
    const operator = role === 'operator';
    const existingOnly =
      (role === undefined || role === '') &&
      (account === undefined || account === '') &&
      typeof body.user === 'string' &&
      body.user !== '';
    if (!operator && !existingOnly && !isRole(role)) return 'role must be viewer, editor, owner or operator';
    if (!operator && !existingOnly && (typeof account !== 'string' || !RESOURCE_ID.test(account)))
      return 'account must be an account id';
    const userId = body.user || (operator ? 'local-operator' : `local-${role}-${account}`);
    if (typeof userId !== 'string' || !RESOURCE_ID.test(userId))
      return 'user must be letters, digits, ".", "_" or "-"';
    if (!operator && isRole(role)) {
      const now = new Date().toISOString();
      const existing = await memberships.get(account as string, userId);
      await memberships.put({
        accountId: account as string,
        userId,
        email: existing?.email ?? `${userId}@local.test`, // a reserved name (RFC 2606) that is still an e-mail address
        role,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
        grantedBy: 'local:login',
      });
    }
    return { userId, operator };
  }

  const authorizePage = async (event: APIGatewayProxyEventV2) => {
    const query = new URLSearchParams(event.rawQueryString);
    if (query.get('client_id') !== identity.clientId)
      return oauthError('invalid_client', `client_id must be ${identity.clientId}`);
    if (!isConsoleUrl(query.get('redirect_uri') ?? ''))
      return oauthError('invalid_request', 'redirect_uri must be the local console');
    if (
      query.get('response_type') !== 'code' ||
      query.get('code_challenge_method') !== 'S256' ||
      !query.get('code_challenge')
    ) {
      return oauthError(
        'invalid_request',
        'Use the authorization code flow with PKCE: response_type=code, code_challenge, code_challenge_method=S256',
      );
    }
    return html(200, signInPage(query));
  };

  const authorize = async (event: APIGatewayProxyEventV2) => {
    const form = formOf(event);
    const redirectUri = form.get('redirect_uri') ?? '';
    if (
      form.get('client_id') !== identity.clientId ||
      !isConsoleUrl(redirectUri) ||
      form.get('code_challenge_method') !== 'S256' ||
      !form.get('code_challenge')
    ) {
      return oauthError(
        'invalid_request',
        'The sign-in form lost its parameters; start again from the console',
      );
    }
    const who = await signIn({
      user: form.get('user') ?? '',
      account: form.get('account') ?? '',
      role: form.get('role') ?? '',
    });
    if (typeof who === 'string') return html(400, signInPage(form, who));
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      ...who,
      redirectUri,
      codeChallenge: form.get('code_challenge')!,
      expiresAt: Date.now() + CODE_SECONDS * 1000,
    });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (form.get('state')) target.searchParams.set('state', form.get('state')!);
    return {
      statusCode: 302,
      headers: { location: target.toString(), 'cache-control': 'no-store' },
      body: '',
    };
  };

  const token = async (event: APIGatewayProxyEventV2) => {
    const form = formOf(event);
    if (form.get('grant_type') !== 'authorization_code')
      return oauthError('unsupported_grant_type', 'Only authorization_code is supported locally');
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    codes.delete(code); // single use, as Cognito's codes are
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (
      !pending ||
      pending.expiresAt < Date.now() ||
      form.get('client_id') !== identity.clientId ||
      form.get('redirect_uri') !== pending.redirectUri ||
      challenge !== pending.codeChallenge
    ) {
      return oauthError(
        'invalid_grant',
        'The code is unknown, used, expired, or does not match the verifier',
      );
    }
    const issued = await identity.issueAccessToken({
      userId: pending.userId,
      groups: pending.operator ? [OPERATORS_GROUP] : [],
    });
    return reply(200, {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
    });
  };

  const logout = async (event: APIGatewayProxyEventV2) => {
    const query = new URLSearchParams(event.rawQueryString);
    const target = query.get('logout_uri') ?? '';
    if (query.get('client_id') !== identity.clientId || !isConsoleUrl(target))
      return oauthError('invalid_request', 'logout_uri must be the local console');
    return { statusCode: 302, headers: { location: target, 'cache-control': 'no-store' }, body: '' };
  };

  const login = async (event: APIGatewayProxyEventV2) => {
    const body = bodyOf(event);
    if (!body)
      return invalid(
        'Send a JSON object: {"account":"acme","role":"owner"} (role viewer, editor, owner or operator; user optional)',
      );
    const who = await signIn(body);
    if (typeof who === 'string') return invalid(who);
    const { userId, operator } = who;
    const existingOnly = body.role === undefined && !operator;
    const token = await identity.issueAccessToken({ userId, groups: operator ? [OPERATORS_GROUP] : [] });
    return reply(200, {
      accessToken: token.accessToken,
      tokenType: 'Bearer',
      expiresIn: token.expiresIn,
      userId,
      ...(existingOnly ? {} : { role: body.role }),
      ...(operator || existingOnly ? {} : { account: body.account }),
    });
  };
  return [
    { methods: ['POST'], path: `${LOCAL_IDP_PATH}/login`, handler: login },
    { methods: ['GET'], path: `${LOCAL_IDP_PATH}/oauth2/authorize`, handler: authorizePage },
    { methods: ['POST'], path: `${LOCAL_IDP_PATH}/oauth2/authorize`, handler: authorize },
    { methods: ['POST'], path: `${LOCAL_IDP_PATH}/oauth2/token`, handler: token },
    { methods: ['GET'], path: `${LOCAL_IDP_PATH}/logout`, handler: logout },
    {
      methods: ['GET'],
      path: `${LOCAL_IDP_PATH}/.well-known/jwks.json`,
      handler: async () => reply(200, identity.jwks),
    },
    {
      methods: ['GET'],
      path: `${LOCAL_IDP_PATH}/.well-known/openid-configuration`,
      handler: async () =>
        reply(200, {
          issuer: identity.issuer,
          jwks_uri: `${identity.issuer}/.well-known/jwks.json`,
          authorization_endpoint: `${identity.issuer}/oauth2/authorize`,
          token_endpoint: `${identity.issuer}/oauth2/token`,
          end_session_endpoint: `${identity.issuer}/logout`,
          code_challenge_methods_supported: ['S256'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
    },
  ];
}
