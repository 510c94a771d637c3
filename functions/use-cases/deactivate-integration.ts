/** Deactivate: the token is deleted, so its URLs answer 404 like any unknown token. Idempotent. */
import { NotFoundError } from '../domain/errors';
import { viewIntegration, type IntegrationView, type IntegrationDependencies } from './integration-view';

export async function deactivateIntegration(
  deps: IntegrationDependencies,
  accountId: string,
  baseUrl: string,
): Promise<IntegrationView> {
  const current = await deps.integrations.get(accountId);
  if (!current) throw new NotFoundError('The Buygoods integration has not been activated for this account');
  const at = deps.clock.now().toISOString();
  if (current.status === 'active') await deps.integrations.deactivate(accountId, current.tokenHash, at);
  return viewIntegration(
    deps,
    {
      ...current,
      status: 'inactive',
      tokenNonce: null,
      tokenHash: null,
      deactivatedAt: current.deactivatedAt ?? at,
      updatedAt: at,
    },
    baseUrl,
  );
}
