/**
 * Local mode's stand-in for the stage's Cognito user pool and API Gateway's JWT authorizer: a signing key
 * made at start (never written anywhere), its JWKS, access tokens shaped like Cognito's, and the checks
 * API Gateway's JWT authorizer makes (signature against the JWKS, issuer, audience or client_id, expiry
 * and not-before), plus token_use = access, which the functions check again. The same library (jose)
 * signs and verifies; nothing here is used in AWS.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type CryptoKey,
} from 'jose';
import { OPERATORS_GROUP } from '../functions/domain/access';
import { isSigV4, verifyLocalSignature } from './operator-signature';

/** The app client id of local tokens (the console's, in AWS). */
export const LOCAL_CLIENT_ID = 'local-console';
export const LOCAL_IDP_PATH = '/local-idp';
/** Cognito's default access-token lifetime. */
const ACCESS_TOKEN_SECONDS = 3600;

export interface LocalTokenRequest {
  readonly userId: string;
  readonly groups?: readonly string[];
  /** Tests: tokens that must be refused. */
  readonly expiresInSeconds?: number;
  readonly clientId?: string;
  readonly issuer?: string;
  readonly tokenUse?: string;
}

/** What API Gateway puts on the event as `requestContext.authorizer`. */
export type AuthorizerContext =
  { jwt: { claims: Record<string, string>; scopes: null } } | { iam: { userArn: string; accountId: string } };

export interface LocalIdentityProvider {
  /** `http://127.0.0.1:PORT/local-idp`, once the API listens. */
  issuer: string;
  readonly clientId: string;
  readonly jwks: JSONWebKeySet;
  issueAccessToken(request: LocalTokenRequest): Promise<{ accessToken: string; expiresIn: number }>;
  /** The claims as API Gateway hands them on (strings; arrays as "[a b]"), or null: API Gateway's 401. */
  verify(authorization: string): Promise<Record<string, string> | null>;
}

const rendered = (value: unknown) => (Array.isArray(value) ? `[${value.join(' ')}]` : String(value));

export async function createLocalIdentityProvider(): Promise<LocalIdentityProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] };
  const keySet = createLocalJWKSet(jwks);
  const provider: LocalIdentityProvider = {
    issuer: `http://127.0.0.1${LOCAL_IDP_PATH}`,
    clientId: LOCAL_CLIENT_ID,
    jwks,
    async issueAccessToken(request) {
      const expiresIn = request.expiresInSeconds ?? ACCESS_TOKEN_SECONDS;
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload & Record<string, unknown> = {
        sub: randomUUID(),
        token_use: request.tokenUse ?? 'access',
        scope: 'openid email',
        auth_time: now,
        client_id: request.clientId ?? LOCAL_CLIENT_ID,
        username: request.userId,
        ...(request.groups?.length ? { 'cognito:groups': [...request.groups] } : {}),
      };
      const accessToken = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(request.issuer ?? provider.issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + expiresIn)
        .setJti(randomUUID())
        .sign(privateKey as CryptoKey);
      return { accessToken, expiresIn };
    },
    async verify(authorization) {
      const token = authorization.replace(/^Bearer\s+/i, '').trim();
      if (!token) return null;
      try {
        const { payload } = await jwtVerify(token, keySet, {
          issuer: provider.issuer,
          algorithms: ['RS256'],
          requiredClaims: ['exp'],
        });
        const audiences = [payload.aud ?? []].flat();
        if (!audiences.includes(provider.clientId) && payload.client_id !== provider.clientId) return null;
        if (payload.token_use !== 'access') return null;
        return Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, rendered(value)]));
      } catch {
        return null;
      }
    },
  };
  return provider;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The management routes' authorizer in local mode: the API's JWT authorizer and the operator API's IAM
 * authorization in one, as both APIs serve the same routes on one local port. A credential, when given,
 * is always checked (401 unless valid): a bearer token against the local key, a SigV4 signature against
 * the local operator's credentials (./operator-signature.ts). With none: 401 when sign-in is required
 * (`AUTH=required`), else a loopback caller acts as an operator, as an IAM-signed script does on the
 * operator API.
 */
export function localAuthorizer(provider: LocalIdentityProvider, required: boolean) {
  return async (request: IncomingMessage, body: Buffer): Promise<AuthorizerContext | null> => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined && isSigV4(authorization)) {
      const iam = await verifyLocalSignature(request, body);
      return iam ? { iam } : null;
    }
    if (authorization !== undefined) {
      const claims = await provider.verify(authorization);
      return claims ? { jwt: { claims, scopes: null } } : null;
    }
    if (required || !LOOPBACK.has(request.socket.remoteAddress ?? '')) return null;
    return { iam: { userArn: 'local:operator (loopback caller with no token)', accountId: '000000000000' } };
  };
}

export const operatorGroups = (role: string) => (role === 'operator' ? [OPERATORS_GROUP] : []);
