/** Rotate: a new token; the old URLs stop working at once. */
import { ConflictError, NotFoundError } from '../domain/errors';
import type { IntegrationView } from './integration-view';
import { issueIntegrationToken, type TokenIssueDependencies } from './issue-integration-token';

export async function rotateIntegrationToken(
  deps: TokenIssueDependencies,
  accountId: string,
  baseUrl: string,
): Promise<IntegrationView> {
  const current = await deps.integrations.get(accountId);
  if (!current) throw new NotFoundError('The Buygoods integration has not been activated for this account');
  if (current.status !== 'active')
    throw new ConflictError(
      'integration_inactive',
      'The integration is deactivated: activate it to get new URLs',
    );
  return issueIntegrationToken(deps, accountId, baseUrl, current);
}
