/**
 * How an integration is shown to its owner ("Manage"): status and the postback URLs, re-derived from the
 * server-side secret since the table keeps no token.
 */
import { deriveToken, postbackUrls } from '../domain/token';
import type { Clock } from '../ports/clock';
import type { IntegrationRepository } from '../ports/integration-repository';
import type { TokenSecretSource } from '../ports/token-secret-source';
import type { IntegrationState } from '../domain/integration';

/** What the integration use cases (activate, rotate, deactivate, get, test) share. */
export interface IntegrationDependencies {
  readonly integrations: IntegrationRepository;
  readonly tokenSecret: TokenSecretSource;
  readonly clock: Clock;
}

export interface IntegrationView {
  readonly accountId: string;
  readonly provider: 'buygoods';
  readonly status: 'active' | 'inactive';
  readonly conversionUrl: string | null;
  readonly refundUrl: string | null;
  readonly activatedAt: string;
  readonly rotatedAt: string | null;
  readonly deactivatedAt: string | null;
}

export async function viewIntegration(
  deps: IntegrationDependencies,
  state: IntegrationState,
  baseUrl: string,
): Promise<IntegrationView> {
  const urls =
    state.status === 'active' && state.tokenNonce
      ? postbackUrls(baseUrl, deriveToken(await deps.tokenSecret.get(), state.accountId, state.tokenNonce))
      : { conversionUrl: null, refundUrl: null };
  return {
    accountId: state.accountId,
    provider: 'buygoods',
    status: state.status,
    ...urls,
    activatedAt: state.activatedAt,
    rotatedAt: state.rotatedAt,
    deactivatedAt: state.deactivatedAt,
  };
}
