import { activateIntegration } from '../../../functions/use-cases/activate-integration';
import { deactivateIntegration } from '../../../functions/use-cases/deactivate-integration';
import { BASE_URL, integrationWorld, tokenInUrl } from '../../support/integration-world';

describe('deactivating the Buygoods integration', () => {
  test('an account that never activated gets a not-found, and nothing is written', async () => {
    const { deps, integrations } = integrationWorld();
    await expect(deactivateIntegration(deps, 'acme', BASE_URL)).rejects.toMatchObject({
      status: 404,
      message: 'The Buygoods integration has not been activated for this account',
    });
    expect(integrations.states.size).toBe(0);
  });

  test('the token is deleted: its URLs find no account, the view shows no URLs, the nonce is gone', async () => {
    const { deps, integrations, clock, accountOfToken } = integrationWorld();
    const active = await activateIntegration(deps, 'acme', BASE_URL);
    clock.advance(5_000);
    const view = await deactivateIntegration(deps, 'acme', BASE_URL);

    expect(view).toMatchObject({
      status: 'inactive',
      conversionUrl: null,
      refundUrl: null,
      activatedAt: active.activatedAt,
      deactivatedAt: '2026-11-25T10:00:05.000Z',
    });
    expect(await accountOfToken(tokenInUrl(active.conversionUrl)!)).toBeNull();
    expect(await integrations.get('acme')).toMatchObject({
      status: 'inactive',
      tokenNonce: null,
      tokenHash: null,
    });
  });

  test('deactivating again is a no-op that keeps the first deactivation time', async () => {
    const { deps, integrations, clock } = integrationWorld();
    await activateIntegration(deps, 'acme', BASE_URL);
    await deactivateIntegration(deps, 'acme', BASE_URL);
    const writes = jest.spyOn(integrations, 'deactivate');
    clock.advance(60_000);
    const again = await deactivateIntegration(deps, 'acme', BASE_URL);
    expect(writes).not.toHaveBeenCalled();
    expect(again).toMatchObject({ status: 'inactive', deactivatedAt: '2026-11-25T10:00:00.000Z' });
  });
});
