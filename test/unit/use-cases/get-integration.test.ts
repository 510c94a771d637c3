import { activateIntegration } from '../../../functions/use-cases/activate-integration';
import { deactivateIntegration } from '../../../functions/use-cases/deactivate-integration';
import { getIntegration } from '../../../functions/use-cases/get-integration';
import { BASE_URL, integrationWorld } from '../../support/integration-world';

describe('"Manage": reading the integration', () => {
  test('an account that never activated gets a not-found', async () => {
    const { deps } = integrationWorld();
    await expect(getIntegration(deps, 'acme', BASE_URL)).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
  });

  test('an active integration shows the same URLs activation showed, re-derived (the table keeps no token)', async () => {
    const { deps, random } = integrationWorld();
    const activated = await activateIntegration(deps, 'acme', BASE_URL);
    expect(await getIntegration(deps, 'acme', BASE_URL)).toEqual(activated);
    expect(random.draws).toBe(1); // reading draws nothing
  });

  test('the URLs are on the base URL of the request', async () => {
    const { deps } = integrationWorld();
    await activateIntegration(deps, 'acme', BASE_URL);
    const view = await getIntegration(deps, 'acme', 'http://127.0.0.1:3000/');
    expect(view.conversionUrl).toMatch(/^http:\/\/127\.0\.0\.1:3000\/v1\/postbacks\/buygoods\//);
  });

  test('a deactivated integration is shown without URLs', async () => {
    const { deps } = integrationWorld();
    await activateIntegration(deps, 'acme', BASE_URL);
    await deactivateIntegration(deps, 'acme', BASE_URL);
    expect(await getIntegration(deps, 'acme', BASE_URL)).toMatchObject({
      status: 'inactive',
      conversionUrl: null,
      refundUrl: null,
    });
  });
});
