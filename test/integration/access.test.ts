/**
 * Per-account access through the local service started as `AUTH=required npm start` runs it: every
 * management operation of docs/openapi.json is called as the owner of account A on account B (403, with
 * a body that says nothing about B), as a viewer of A on a change (403), with an expired, forged,
 * tampered, wrong-audience, wrong-issuer, ID or missing token (401), and as an operator (allowed). Then
 * the members routes end to end: an invitation, a role that takes effect and is taken away at once.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { MANAGEMENT_OPERATIONS } from '../../functions/handlers/operations';
import type { LocalService } from '../../local/service';
import { login } from '../../scripts/login';
import { startTestService } from '../support/local-service';

type Json = Record<string, any>;
let service: LocalService;
const A = 'acme-brand';
const B = 'bolt-brand';
type TokenKind =
  | 'ownerA'
  | 'viewerA'
  | 'operator'
  | 'expired'
  | 'wrongAudience'
  | 'wrongIssuer'
  | 'idToken'
  | 'forged'
  | 'tampered'
  | 'unsigned';
const tokens = {} as Record<TokenKind, string>;

async function call(
  method: string,
  pathname: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; text: string; body: Json }> {
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${service.url}${pathname}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: text ? (JSON.parse(text) as Json) : {} };
}

const document = JSON.parse(readFileSync(path.join(__dirname, '../../docs/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
};
interface Operation {
  readonly method: string;
  readonly template: string;
  readonly role: string;
}
const OPERATIONS: Operation[] = Object.entries(document.paths)
  .filter(([template]) => template.startsWith('/v1/accounts/{accountId}/'))
  .flatMap(([template, operations]) =>
    Object.keys(operations).map((method) => ({
      method: method.toUpperCase(),
      template,
      role: MANAGEMENT_OPERATIONS.get(`${method.toUpperCase()} ${template}`)!,
    })),
  );
const pathOf = (operation: Operation, account: string) =>
  operation.template.replace('{accountId}', account).replace(/\{(\w+)\}/g, 'probe-$1');
const bodyOf = (operation: Operation) =>
  operation.method === 'PUT' || operation.method === 'POST' ? {} : undefined;
const label = (operation: Operation) => `${operation.method} ${operation.template}`;

beforeAll(async () => {
  service = await startTestService({ auth: 'required' });
  const issue = (request: Parameters<LocalService['identity']['issueAccessToken']>[0]) =>
    service.identity.issueAccessToken(request).then((token) => token.accessToken);
  tokens.ownerA = (await login(service.url, { account: A, role: 'owner' })).accessToken;
  tokens.viewerA = (await login(service.url, { account: A, role: 'viewer' })).accessToken;
  tokens.operator = (await login(service.url, { role: 'operator' })).accessToken;
  tokens.expired = await issue({ userId: 'local-owner-acme-brand', expiresInSeconds: -60 });
  tokens.wrongAudience = await issue({ userId: 'local-owner-acme-brand', clientId: 'another-app' });
  tokens.wrongIssuer = await issue({
    userId: 'local-owner-acme-brand',
    issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other',
  });
  tokens.idToken = await issue({ userId: 'local-owner-acme-brand', tokenUse: 'id' });
  // Forged: signed by another key under the service's key id, claiming the operators group.
  const { privateKey } = await generateKeyPair('RS256');
  const { kid } = decodeProtectedHeader(tokens.ownerA);
  tokens.forged = await new SignJWT({
    token_use: 'access',
    client_id: service.identity.clientId,
    username: 'mallory',
    'cognito:groups': ['operators'],
  })
    .setProtectedHeader({ alg: 'RS256', kid: kid! })
    .setIssuer(service.identity.issuer)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  // Tampered: the owner's real token with its payload swapped for one in the operators group.
  const [header, payload, signature] = tokens.ownerA.split('.') as [string, string, string];
  const claims = {
    ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
    'cognito:groups': ['operators'],
  };
  tokens.tampered = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
  tokens.unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
  // B has data of its own: an integration and a link.
  expect((await call('POST', `/v1/accounts/${B}/integrations/buygoods`, tokens.operator)).status).toBe(201);
  expect(
    (
      await call('PUT', `/v1/accounts/${B}/links/bolt-spring`, tokens.operator, {
        name: 'Spring',
        destinationUrl: 'https://bolt.example/offer',
      })
    ).status,
  ).toBe(201);
});
afterAll(async () => {
  await service?.stop();
});

test('the walk covers every management operation of the document, members included', () => {
  expect(OPERATIONS.length).toBeGreaterThanOrEqual(23);
  expect(OPERATIONS.map(label)).toEqual(
    expect.arrayContaining([
      'PUT /v1/accounts/{accountId}/members/{userId}',
      'DELETE /v1/accounts/{accountId}/customers',
    ]),
  );
  expect(OPERATIONS.filter((operation) => operation.role === undefined).map(label)).toEqual([]);
});

test('public routes need no token, and a postback token of B still only reaches B', async () => {
  const activation = (await call('GET', `/v1/accounts/${B}/integrations/buygoods`, tokens.operator)).body;
  const conversion = await fetch(
    `${activation.conversionUrl.split('?')[0]}?subid=clk1&orderid=BOLT-1&commission=10`,
  );
  expect(conversion.status).toBe(200);
  expect((await fetch(`${service.url}/v1/click/bolt-spring`, { redirect: 'manual' })).status).toBe(302);
});

test("an owner of A gets 403 on every operation of B, worded exactly as for an account that does not exist, naming nothing of B's", async () => {
  const refusals = new Set<string>();
  for (const operation of OPERATIONS) {
    const onB = await call(operation.method, pathOf(operation, B), tokens.ownerA, bodyOf(operation));
    const onNowhere = await call(
      operation.method,
      pathOf(operation, 'no-such-account'),
      tokens.ownerA,
      bodyOf(operation),
    );
    expect({ operation: label(operation), status: onB.status }).toEqual({
      operation: label(operation),
      status: 403,
    });
    expect(onB.text).toBe(onNowhere.text);
    expect(onB.text).not.toMatch(/bolt/i);
    refusals.add(onB.text);
  }
  expect([...refusals]).toEqual([
    '{"error":{"code":"forbidden","message":"You do not have access to this operation"}}',
  ]);
});

test('a viewer of A gets 403 on every change of A, and is let through on every read', async () => {
  for (const operation of OPERATIONS) {
    const answer = await call(operation.method, pathOf(operation, A), tokens.viewerA, bodyOf(operation));
    const expected = operation.role === 'viewer' ? 'allowed' : 'forbidden';
    expect({
      operation: label(operation),
      outcome: answer.status === 403 ? 'forbidden' : answer.status === 401 ? 'unauthenticated' : 'allowed',
    }).toEqual({ operation: label(operation), outcome: expected });
    if (expected === 'forbidden')
      expect(answer.body.error.message).toBe(
        `This operation needs the ${operation.role} role on this account`,
      );
  }
});

test.each([
  'expired',
  'forged',
  'tampered',
  'unsigned',
  'wrongAudience',
  'wrongIssuer',
  'idToken',
  'missing',
] as const)('a %s token gets 401 on every operation', async (kind) => {
  for (const operation of OPERATIONS) {
    const answer = await call(
      operation.method,
      pathOf(operation, A),
      kind === 'missing' ? null : tokens[kind],
      bodyOf(operation),
    );
    expect({ operation: label(operation), status: answer.status, body: answer.body }).toEqual({
      operation: label(operation),
      status: 401,
      body: { message: 'Unauthorized' },
    });
  }
});

test('an operator reaches every operation of any account, and an owner every operation of their own', async () => {
  for (const [token, account] of [
    [tokens.operator, B],
    [tokens.ownerA, A],
  ] as const) {
    for (const operation of OPERATIONS) {
      const answer = await call(operation.method, pathOf(operation, account), token, bodyOf(operation));
      expect({
        operation: label(operation),
        account,
        refused: [401, 403].includes(answer.status),
        serverError: answer.status >= 500,
      }).toEqual({
        operation: label(operation),
        account,
        refused: false,
        serverError: false,
      });
    }
  }
});

describe('members', () => {
  const member = (account: string, userId: string) => `/v1/accounts/${account}/members/${userId}`;

  it('an owner invites a person, who then reads the account with the role given, and loses it at once when removed', async () => {
    const invited = await call('PUT', member(A, 'bob'), tokens.ownerA, {
      email: ' Bob@Example.com ',
      role: 'viewer',
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({
      accountId: A,
      userId: 'bob',
      email: 'bob@example.com',
      role: 'viewer',
      invitation: 'invited',
      grantedBy: 'user:local-owner-acme-brand',
    });
    const bob = (await login(service.url, { user: 'bob' })).accessToken;
    expect((await call('GET', `/v1/accounts/${A}/pixels`, bob)).status).toBe(200);
    expect(
      (
        await call('PUT', `/v1/accounts/${A}/links/bob-link`, bob, {
          name: 'Bob',
          destinationUrl: 'https://acme.example/',
        })
      ).status,
    ).toBe(403);
    expect((await call('GET', `/v1/accounts/${B}/pixels`, bob)).status).toBe(403);

    const promoted = await call('PUT', member(A, 'bob'), tokens.ownerA, {
      email: 'bob@example.com',
      role: 'editor',
    });
    expect(promoted).toMatchObject({
      status: 200,
      body: { role: 'editor', invitation: 'existing', createdAt: invited.body.createdAt },
    });
    expect(
      (
        await call('PUT', `/v1/accounts/${A}/links/bob-link`, bob, {
          name: 'Bob',
          destinationUrl: 'https://acme.example/',
        })
      ).status,
    ).toBe(201);
    expect((await call('GET', member(A, 'bob'), bob)).status).toBe(403); // editors do not manage members

    const listed = await call('GET', `/v1/accounts/${A}/members`, tokens.ownerA);
    expect(listed.body.members.map((entry: Json) => `${entry.userId}:${entry.role}`).sort()).toEqual([
      'bob:editor',
      'local-owner-acme-brand:owner',
      'local-viewer-acme-brand:viewer',
    ]);

    expect(await call('DELETE', member(A, 'bob'), tokens.ownerA)).toMatchObject({
      status: 200,
      body: { accountId: A, userId: 'bob', removed: true },
    });
    expect((await call('GET', `/v1/accounts/${A}/pixels`, bob)).status).toBe(403);
    expect((await call('GET', member(A, 'bob'), tokens.ownerA)).status).toBe(404);
    expect((await call('DELETE', member(A, 'bob'), tokens.ownerA)).status).toBe(404);
  });

  it('a person signed in locally holds a membership with an address the members API accepts', async () => {
    const viewer = await call('GET', member(A, `local-viewer-${A}`), tokens.ownerA);
    expect(viewer).toMatchObject({
      status: 200,
      body: { email: `local-viewer-${A}@local.test`, role: 'viewer' },
    });
    const changed = await call('PUT', member(A, `local-viewer-${A}`), tokens.ownerA, {
      email: viewer.body.email,
      role: 'editor',
    });
    expect(changed).toMatchObject({ status: 200, body: { role: 'editor' } });
    await call('PUT', member(A, `local-viewer-${A}`), tokens.ownerA, {
      email: viewer.body.email,
      role: 'viewer',
    });
  });

  it('refuses to change your own membership, to give a user id another address, or an address another user has', async () => {
    expect(
      (
        await call('PUT', member(A, 'local-owner-acme-brand'), tokens.ownerA, {
          email: 'me@example.com',
          role: 'viewer',
        })
      ).body.error.code,
    ).toBe('own_membership');
    expect((await call('DELETE', member(A, 'local-owner-acme-brand'), tokens.ownerA)).body.error.code).toBe(
      'own_membership',
    );
    expect(
      (await call('PUT', member(A, 'carol'), tokens.ownerA, { email: 'carol@example.com', role: 'viewer' }))
        .status,
    ).toBe(201);
    expect(
      await call('PUT', member(B, 'carol'), tokens.operator, {
        email: 'someone-else@example.com',
        role: 'owner',
      }),
    ).toMatchObject({ status: 409, body: { error: { code: 'user_email_mismatch' } } });
    expect(
      await call('PUT', member(A, 'dave'), tokens.ownerA, { email: 'carol@example.com', role: 'viewer' }),
    ).toMatchObject({ status: 409, body: { error: { code: 'email_in_use' } } });
    expect(
      await call('PUT', member(A, 'erin'), tokens.ownerA, { email: 'not an address', role: 'admin' }),
    ).toMatchObject({
      status: 422,
      body: {
        error: {
          code: 'validation_failed',
          fields: { email: ['must be an e-mail address'], role: ['must be one of viewer, editor, owner'] },
        },
      },
    });
  });

  it('an operator grants a person a role on any account; it reaches that account and no other', async () => {
    expect(
      (await call('PUT', member(B, 'carol'), tokens.operator, { email: 'carol@example.com', role: 'owner' }))
        .body,
    ).toMatchObject({ role: 'owner', invitation: 'existing' });
    const carol = (await login(service.url, { user: 'carol' })).accessToken;
    expect((await call('POST', `/v1/accounts/${B}/integrations/buygoods`, carol)).status).toBe(201);
    expect((await call('POST', `/v1/accounts/${A}/integrations/buygoods`, carol)).status).toBe(403);
  });
});

describe("the console's sign-in locally (authorization code with PKCE, as on the user pool's hosted page)", () => {
  const redirectUri = () => `${service.url}/console/`;
  const verifier = 'a-verifier-of-enough-length-for-pkce-0123456789abcdef';
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorizeQuery = (overrides: Record<string, string> = {}) =>
    new URLSearchParams({
      response_type: 'code',
      client_id: service.identity.clientId,
      redirect_uri: redirectUri(),
      state: 's-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope: 'openid email',
      ...overrides,
    });
  const postForm = (pathname: string, form: Record<string, string>) =>
    fetch(`${service.url}${pathname}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  it('signs a person in with the role chosen, gives a token once per code, and signs out back to the console', async () => {
    const page = await fetch(`${service.url}/local-idp/oauth2/authorize?${authorizeQuery()}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button type="submit">Sign in</button>');
    const signedIn = await postForm('/local-idp/oauth2/authorize', {
      ...Object.fromEntries(authorizeQuery()),
      user: 'frank',
      account: A,
      role: 'editor',
    });
    expect(signedIn.status).toBe(302);
    const back = new URL(signedIn.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri());
    expect(back.searchParams.get('state')).toBe('s-1');
    const exchange = {
      grant_type: 'authorization_code',
      client_id: service.identity.clientId,
      code: back.searchParams.get('code')!,
      redirect_uri: redirectUri(),
      code_verifier: verifier,
    };
    expect(
      (await postForm('/local-idp/oauth2/token', { ...exchange, code_verifier: 'not-the-verifier' })).status,
    ).toBe(400);
    // A refused exchange spends the code too.
    expect(await (await postForm('/local-idp/oauth2/token', exchange)).json()).toEqual({
      error: 'invalid_grant',
      error_description: expect.any(String),
    });

    const again = await postForm('/local-idp/oauth2/authorize', {
      ...Object.fromEntries(authorizeQuery()),
      user: 'frank',
      account: A,
      role: 'editor',
    });
    const code = new URL(again.headers.get('location')!).searchParams.get('code')!;
    const tokens = (await (await postForm('/local-idp/oauth2/token', { ...exchange, code })).json()) as {
      access_token: string;
      token_type: string;
    };
    expect(tokens.token_type).toBe('Bearer');
    expect(
      (
        await call('PUT', `/v1/accounts/${A}/links/frank-link`, tokens.access_token, {
          name: 'Frank',
          destinationUrl: 'https://acme.example/f',
        })
      ).status,
    ).toBe(201);
    expect((await call('GET', `/v1/accounts/${B}/pixels`, tokens.access_token)).status).toBe(403);
    expect((await postForm('/local-idp/oauth2/token', { ...exchange, code })).status).toBe(400);

    const signedOut = await fetch(
      `${service.url}/local-idp/logout?${new URLSearchParams({ client_id: service.identity.clientId, logout_uri: redirectUri() })}`,
      { redirect: 'manual' },
    );
    expect({ status: signedOut.status, location: signedOut.headers.get('location') }).toEqual({
      status: 302,
      location: redirectUri(),
    });
  });

  it('sends nobody anywhere but the local console, and only with PKCE', async () => {
    const refused: Record<string, string>[] = [
      { redirect_uri: 'https://evil.example/console/' },
      { client_id: 'another-app' },
      { code_challenge_method: 'plain' },
      { response_type: 'token' },
    ];
    for (const overrides of refused) {
      expect(
        (await fetch(`${service.url}/local-idp/oauth2/authorize?${authorizeQuery(overrides)}`)).status,
      ).toBe(400);
    }
    const signedOut = await fetch(
      `${service.url}/local-idp/logout?client_id=${service.identity.clientId}&logout_uri=https://evil.example/`,
      { redirect: 'manual' },
    );
    expect(signedOut.status).toBe(400);
  });
});
