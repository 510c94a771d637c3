/**
 * An account's Buygoods integration: whether it is active, and the nonce and digest of its current token
 * (functions/domain/token.ts; the token itself is never stored).
 */
export interface IntegrationState {
  readonly accountId: string;
  readonly status: 'active' | 'inactive';
  readonly tokenNonce: string | null;
  readonly tokenHash: string | null;
  readonly activatedAt: string;
  readonly updatedAt: string;
  readonly rotatedAt: string | null;
  readonly deactivatedAt: string | null;
}
