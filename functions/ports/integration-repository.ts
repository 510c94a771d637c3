import type { IntegrationState } from '../domain/integration';

/** Accounts' Buygoods integrations, and the token digests postbacks are authenticated by. */
export interface IntegrationRepository {
  /** The account an active token belongs to, or null. */
  findAccountByTokenHash(tokenHash: string): Promise<string | null>;
  get(accountId: string): Promise<IntegrationState | null>;
  /** Stores the integration with a new token, retiring the previous token in the same transaction. */
  saveWithToken(state: IntegrationState, previousTokenHash: string | null): Promise<void>;
  deactivate(accountId: string, tokenHash: string | null, at: string): Promise<void>;
}
