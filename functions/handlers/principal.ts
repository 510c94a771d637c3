/**
 * Who is calling, read from what API Gateway's authorizer left on the event (and what the local API puts
 * there in its stead): an IAM principal of the operator API, or the claims of a verified Cognito access
 * token. API Gateway has already checked the credential; this only reads it, and refuses a token that is
 * not an access token of this pool's app client (ID tokens carry the same audience).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { OPERATORS_GROUP, type Principal } from '../domain/access';
import { UnauthorizedError } from '../domain/errors';
import { RESOURCE_ID } from '../domain/ids';

type Claim = string | number | boolean | string[];

interface AuthorizerContext {
  readonly iam?: {
    readonly userArn?: string;
    readonly accountId?: string;
    readonly principalOrgId?: string | null;
  };
  readonly jwt?: { readonly claims?: Record<string, Claim>; readonly scopes?: string[] | null };
}

/** HTTP APIs render an array claim as "[a b c]"; the local API does the same. */
export function claimList(value: Claim | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  const text = String(value).trim();
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return inner.split(/[\s,]+/).filter(Boolean);
}

export function principalOf(event: APIGatewayProxyEventV2): Principal {
  const authorizer = (event.requestContext as { authorizer?: AuthorizerContext }).authorizer;
  if (authorizer?.iam)
    return { kind: 'operator', id: authorizer.iam.userArn ?? `iam:${authorizer.iam.accountId ?? 'unknown'}` };
  const claims = authorizer?.jwt?.claims;
  if (!claims) throw new UnauthorizedError();
  if (claims.token_use !== 'access')
    throw new UnauthorizedError('Send an access token (not an ID token) as the bearer token');
  const username = claims.username;
  if (typeof username !== 'string' || !RESOURCE_ID.test(username)) throw new UnauthorizedError();
  if (claimList(claims['cognito:groups']).includes(OPERATORS_GROUP))
    return { kind: 'operator', id: `user:${username}` };
  return { kind: 'member', userId: username };
}
