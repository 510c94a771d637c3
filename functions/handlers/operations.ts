/**
 * The management API's operation table, read from docs/openapi.json (bundled with the functions): each
 * operation's `x-required-role`. The document is the one list of operations (a test holds it equal to
 * the routes served), so a route cannot be served without a role being decided for it.
 */
import openapi from '../../docs/openapi.json';
import { operationKey, operationTableOf, type OperationTable } from '../domain/access';

export const MANAGEMENT_OPERATIONS: OperationTable = operationTableOf(
  openapi as unknown as { paths: Record<string, Record<string, unknown>> },
);

/** The table key of a router pattern: `/v1/accounts/:accountId/orders/:orderId` -> `{accountId}` form. */
export const operationOf = (method: string, pattern: string) =>
  operationKey(method, pattern.replace(/:(\w+)/g, '{$1}'));
