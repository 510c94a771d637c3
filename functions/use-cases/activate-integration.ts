/** "Activate": issues the account's postback URLs; activating an active integration returns it unchanged. */
import { viewIntegration, type IntegrationView } from './integration-view';
import { issueIntegrationToken, type TokenIssueDependencies } from './issue-integration-token';

export async function activateIntegration(
  deps: TokenIssueDependencies,
  accountId: string,
  baseUrl: string,
): Promise<IntegrationView> {
  const current = await deps.integrations.get(accountId);
  if (current?.status === 'active') return viewIntegration(deps, current, baseUrl);
  return issueIntegrationToken(deps, accountId, baseUrl, current);
}
