import type { IntegrationState } from '../../../functions/domain/integration';
import { deriveToken, postbackUrls } from '../../../functions/domain/token';
import { viewIntegration } from '../../../functions/use-cases/integration-view';
import { BASE_URL, integrationWorld, SECRET } from '../../support/integration-world';

const state = (overrides: Partial<IntegrationState> = {}): IntegrationState => ({
  accountId: 'acme',
  status: 'active',
  tokenNonce: 'nonce-1',
  tokenHash: 'hash-1',
  activatedAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-02T00:00:00.000Z',
  rotatedAt: '2026-11-02T00:00:00.000Z',
  deactivatedAt: null,
  ...overrides,
});

describe('how an integration is shown', () => {
  test('active: the URLs derive from the secret, the account and the nonce; the hash and nonce are not shown', async () => {
    const { deps } = integrationWorld();
    const view = await viewIntegration(deps, state(), BASE_URL);
    expect(view).toEqual({
      accountId: 'acme',
      provider: 'buygoods',
      status: 'active',
      ...postbackUrls(BASE_URL, deriveToken(SECRET, 'acme', 'nonce-1')),
      activatedAt: '2026-11-01T00:00:00.000Z',
      rotatedAt: '2026-11-02T00:00:00.000Z',
      deactivatedAt: null,
    });
    expect(JSON.stringify(view)).not.toMatch(/nonce-1|hash-1/);
  });

  test('another secret gives other URLs (the secret is what makes them)', async () => {
    const { deps } = integrationWorld();
    const mine = await viewIntegration(deps, state(), BASE_URL);
    const other = await viewIntegration(
      { ...deps, tokenSecret: { get: async () => 'x'.repeat(64) } },
      state(),
      BASE_URL,
    );
    expect(other.conversionUrl).not.toBe(mine.conversionUrl);
  });

  test.each([
    ['inactive', state({ status: 'inactive', tokenNonce: null, tokenHash: null })],
    ['active without a nonce', state({ tokenNonce: null })],
  ])('%s: no URLs, and the secret is never read', async (_case, current) => {
    const { deps } = integrationWorld();
    const get = jest.fn(deps.tokenSecret.get);
    const view = await viewIntegration({ ...deps, tokenSecret: { get } }, current, BASE_URL);
    expect(view).toMatchObject({ conversionUrl: null, refundUrl: null });
    expect(get).not.toHaveBeenCalled();
  });
});
