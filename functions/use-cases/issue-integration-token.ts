/**
 * Activate and rotate share one step: draw a new nonce, derive the token, store only its hash (retiring
 * the previous token in the same transaction) and show the new URLs.
 */
import { deriveToken, hashToken, newTokenNonce, TOKEN_NONCE_RANDOM_BYTES } from '../domain/token';
import type { IntegrationState } from '../domain/integration';
import type { RandomSource } from '../ports/random-source';
import { viewIntegration, type IntegrationView, type IntegrationDependencies } from './integration-view';

/** Activate and rotate draw a token nonce: the integration's dependencies and randomness. */
export interface TokenIssueDependencies extends IntegrationDependencies {
  readonly random: RandomSource;
}

export async function issueIntegrationToken(
  deps: TokenIssueDependencies,
  accountId: string,
  baseUrl: string,
  previous: IntegrationState | null,
): Promise<IntegrationView> {
  const now = deps.clock.now().toISOString();
  const tokenNonce = newTokenNonce(deps.random.hex(TOKEN_NONCE_RANDOM_BYTES));
  const tokenHash = hashToken(deriveToken(await deps.tokenSecret.get(), accountId, tokenNonce));
  const reactivating = !previous || previous.status === 'inactive';
  const state: IntegrationState = {
    accountId,
    status: 'active',
    tokenNonce,
    tokenHash,
    activatedAt: reactivating ? now : previous.activatedAt,
    updatedAt: now,
    rotatedAt: reactivating ? null : now,
    deactivatedAt: null,
  };
  await deps.integrations.saveWithToken(state, previous?.tokenHash ?? null);
  return viewIntegration(deps, state, baseUrl);
}
