/**
 * Who may do what on the management API: the roles a person holds on an account, the operators who reach
 * every account, the table of operations and the role each needs (derived from docs/openapi.json), and
 * the one decision that combines them. Pure: the caller brings the principal and the membership.
 */
import { ForbiddenError } from './errors';

/** Roles on one account, weakest first: each includes what the ones before it may do. */
export const ROLES = ['viewer', 'editor', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/** The Cognito group whose members reach every account (and every operation). */
export const OPERATORS_GROUP = 'operators';

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

export function roleIncludes(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/**
 * The caller of a management operation, once its credential was checked: an operator (a SigV4-signed
 * IAM principal on the operator API, a member of the operators group, or a loopback caller with no token
 * in local mode), or a person whose rights come from their memberships.
 */
export type Principal =
  { readonly kind: 'operator'; readonly id: string } | { readonly kind: 'member'; readonly userId: string };

/** The role each management operation needs, keyed by `METHOD /v1/accounts/{accountId}/...`. */
export type OperationTable = ReadonlyMap<string, Role>;

export const operationKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** The extension of docs/openapi.json that names an operation's role. */
export const REQUIRED_ROLE_EXTENSION = 'x-required-role';
export const ACCOUNT_PATH_PREFIX = '/v1/accounts/{accountId}/';

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

/**
 * The operation table of an OpenAPI document: every operation under /v1/accounts/{accountId}/ with the
 * role its `x-required-role` names. An operation with no role, or one that is not a role, is left out,
 * so it is refused to everyone but operators (and the operations test names it).
 */
export function operationTableOf(document: {
  paths: Record<string, Record<string, unknown>>;
}): OperationTable {
  const table = new Map<string, Role>();
  for (const [path, operations] of Object.entries(document.paths)) {
    if (!path.startsWith(ACCOUNT_PATH_PREFIX)) continue;
    for (const [method, operation] of Object.entries(operations)) {
      if (!HTTP_METHODS.has(method)) continue;
      const role = (operation as Record<string, unknown>)[REQUIRED_ROLE_EXTENSION];
      if (isRole(role)) table.set(operationKey(method, path), role);
    }
  }
  return table;
}

export interface AccessRequest {
  readonly principal: Principal;
  /** `METHOD /v1/accounts/{accountId}/...`, as in the operation table. */
  readonly operation: string;
  /** The caller's role on the account of the path, or null when they have none. */
  readonly membership: Role | null;
}

/**
 * The decision. Operators may do everything; a member needs a role on the account that includes the
 * operation's; an operation missing from the table is refused (fail closed). The refusal reads the same
 * whether the account exists, has members or not: it says nothing about the account.
 */
export function decideAccess(table: OperationTable, request: AccessRequest): void {
  if (request.principal.kind === 'operator') return;
  const needed = table.get(request.operation);
  if (!needed || !request.membership) throw new ForbiddenError();
  if (!roleIncludes(request.membership, needed))
    throw new ForbiddenError(`This operation needs the ${needed} role on this account`);
}
