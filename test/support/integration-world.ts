/** The integration use cases' dependencies over in-memory fakes: a fixed secret, a clock, counted random bytes. */
import { deriveToken, hashToken } from '../../functions/domain/token';
import { CountingRandom, FixedClock, InMemoryIntegrations } from './fakes';

export const BASE_URL = 'https://api.example.com';
export const SECRET = 'integration-secret-'.repeat(4);

export function integrationWorld(start = new Date('2026-11-25T10:00:00.000Z')) {
  const integrations = new InMemoryIntegrations();
  const clock = new FixedClock(start);
  const random = new CountingRandom();
  const deps = { integrations, clock, random, tokenSecret: { get: async () => SECRET } };
  return {
    deps,
    integrations,
    clock,
    random,
    /** The token a nonce yields under the world's secret, and the account its hash finds now. */
    tokenOf: (accountId: string, nonce: string) => deriveToken(SECRET, accountId, nonce),
    accountOfToken: (token: string) => integrations.findAccountByTokenHash(hashToken(token)),
  };
}

/** The token in a postback URL (`…/v1/postbacks/buygoods/{token}/{channel}?…`). */
export const tokenInUrl = (url: string | null) => (url ? new URL(url).pathname.split('/')[4]! : null);
