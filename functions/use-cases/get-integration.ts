/** "Manage": the integration's status and, while active, its URLs. */
import { NotFoundError } from '../domain/errors';
import { viewIntegration, type IntegrationView, type IntegrationDependencies } from './integration-view';

export async function getIntegration(
  deps: IntegrationDependencies,
  accountId: string,
  baseUrl: string,
): Promise<IntegrationView> {
  const current = await deps.integrations.get(accountId);
  if (!current) throw new NotFoundError('The Buygoods integration has not been activated for this account');
  return viewIntegration(deps, current, baseUrl);
}
