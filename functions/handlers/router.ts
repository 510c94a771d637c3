/** A small path router for the management API: `/v1/accounts/:accountId/...` patterns to actions. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { logger, metrics, MetricUnit } from '../adapters/observability';
import { BadRequestError, ForbiddenError, NotFoundError } from '../domain/errors';
import type { Principal } from '../domain/access';
import { RESOURCE_ID } from '../domain/ids';
import { authorizeOperation, type AccessDependencies } from '../use-cases/authorize-operation';
import { errorBody, errorResponse, json, type HttpResponse } from './http';
import { operationOf } from './operations';
import { principalOf } from './principal';

export interface RouteContext {
  readonly event: APIGatewayProxyEventV2;
  readonly params: Record<string, string>;
  /** The caller, already allowed this operation on this account. */
  readonly principal: Principal;
}

export interface Route<R> {
  readonly method: string;
  readonly pattern: string;
  readonly run: (context: RouteContext) => Promise<R>;
}

export type RouteMatch<R> =
  | { kind: 'match'; route: Route<R>; params: Record<string, string> }
  | { kind: 'bad_id'; name: string }
  | { kind: 'method_not_allowed' }
  | { kind: 'none' };

function matchPattern(pattern: string, path: string): Record<string, string> | null | 'bad_id' {
  const expected = pattern.split('/');
  const actual = path.replace(/\/+$/, '').split('/');
  if (expected.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of expected.entries()) {
    const value = actual[index]!;
    if (part.startsWith(':')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        return 'bad_id';
      }
      if (!RESOURCE_ID.test(decoded)) return 'bad_id';
      params[part.slice(1)] = decoded;
    } else if (part !== value) return null;
  }
  return params;
}

export function matchRoute<R>(routes: ReadonlyArray<Route<R>>, method: string, path: string): RouteMatch<R> {
  let methodMismatch = false;
  for (const route of routes) {
    const params = matchPattern(route.pattern, path);
    if (params === null) continue;
    if (params === 'bad_id') return { kind: 'bad_id', name: route.pattern };
    if (route.method !== method) {
      methodMismatch = true;
      continue;
    }
    return { kind: 'match', route, params };
  }
  return methodMismatch ? { kind: 'method_not_allowed' } : { kind: 'none' };
}

/**
 * Shared by the management and merchants functions: who calls (401 without a credential), route, decide
 * access (403), run, and map errors, in one place.
 */
export function createRoutedHandler(routes: ReadonlyArray<Route<HttpResponse>>, access: AccessDependencies) {
  return async (event: APIGatewayProxyEventV2): Promise<HttpResponse> => {
    metrics.addMetric('ManagementRequests', MetricUnit.Count, 1);
    try {
      const principal = principalOf(event);
      const match = matchRoute(routes, event.requestContext.http.method, event.rawPath);
      if (match.kind === 'bad_id')
        throw new BadRequestError(
          'invalid_id',
          'Ids in the path may only contain letters, digits, ".", "_" and "-" (at most 128)',
        );
      if (match.kind === 'method_not_allowed')
        return json(405, errorBody('method_not_allowed', 'This method is not allowed on this resource'));
      if (match.kind === 'none') throw new NotFoundError('No such resource');
      const operation = operationOf(match.route.method, match.route.pattern);
      try {
        await authorizeOperation(access, principal, match.params.accountId ?? '', operation);
      } catch (error) {
        // Who tried what on which account: the trail of a probe across accounts (ids only, never an e-mail).
        if (error instanceof ForbiddenError) {
          metrics.addMetric('AccessRefused', MetricUnit.Count, 1);
          logger.info('management access refused', {
            operation,
            accountId: match.params.accountId,
            userId: principal.kind === 'member' ? principal.userId : null,
          });
        }
        throw error;
      }
      return await match.route.run({ event, params: match.params, principal });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
