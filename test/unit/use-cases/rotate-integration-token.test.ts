import { activateIntegration } from '../../../functions/use-cases/activate-integration';
import { deactivateIntegration } from '../../../functions/use-cases/deactivate-integration';
import { rotateIntegrationToken } from '../../../functions/use-cases/rotate-integration-token';
import { BASE_URL, integrationWorld, tokenInUrl } from '../../support/integration-world';

describe('rotating the token', () => {
  test('an account that never activated gets a not-found', async () => {
    const { deps } = integrationWorld();
    await expect(rotateIntegrationToken(deps, 'acme', BASE_URL)).rejects.toMatchObject({ status: 404 });
  });

  test('a deactivated integration is a conflict (activate it instead), and nothing is issued', async () => {
    const { deps, random } = integrationWorld();
    await activateIntegration(deps, 'acme', BASE_URL);
    await deactivateIntegration(deps, 'acme', BASE_URL);
    await expect(rotateIntegrationToken(deps, 'acme', BASE_URL)).rejects.toMatchObject({
      status: 409,
      code: 'integration_inactive',
    });
    expect(random.draws).toBe(1);
  });

  test('the old URLs stop working at once, the new ones work; activation date kept, rotation dated', async () => {
    const { deps, clock, accountOfToken } = integrationWorld();
    const before = await activateIntegration(deps, 'acme', BASE_URL);
    clock.advance(3_600_000);
    const after = await rotateIntegrationToken(deps, 'acme', BASE_URL);

    const [oldToken, newToken] = [tokenInUrl(before.conversionUrl)!, tokenInUrl(after.conversionUrl)!];
    expect(newToken).not.toBe(oldToken);
    expect(await accountOfToken(oldToken)).toBeNull();
    expect(await accountOfToken(newToken)).toBe('acme');
    expect(after).toMatchObject({
      status: 'active',
      activatedAt: before.activatedAt,
      rotatedAt: '2026-11-25T11:00:00.000Z',
    });
  });
});
