import { deactivateIntegration } from '../../../functions/use-cases/deactivate-integration';
import { activateIntegration } from '../../../functions/use-cases/activate-integration';
import { BASE_URL, integrationWorld, tokenInUrl } from '../../support/integration-world';

describe('activating the Buygoods integration', () => {
  test('the first activation draws a 16-byte nonce, stores only the token’s hash, and shows URLs carrying the token', async () => {
    const { deps, integrations, random, tokenOf, accountOfToken } = integrationWorld();
    const view = await activateIntegration(deps, 'acme', BASE_URL);

    const nonce = `${'0'.repeat(30)}01`;
    const token = tokenOf('acme', nonce);
    expect(random.draws).toBe(1);
    expect(view).toEqual({
      accountId: 'acme',
      provider: 'buygoods',
      status: 'active',
      conversionUrl: expect.stringMatching(`^${BASE_URL}/v1/postbacks/buygoods/${token}/conversion\\?subid=`),
      refundUrl: expect.stringMatching(`^${BASE_URL}/v1/postbacks/buygoods/${token}/refund\\?subid=`),
      activatedAt: '2026-11-25T10:00:00.000Z',
      rotatedAt: null,
      deactivatedAt: null,
    });
    const stored = await integrations.get('acme');
    expect(stored).toMatchObject({ status: 'active', tokenNonce: nonce });
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(await accountOfToken(token)).toBe('acme');
  });

  test('activating an active integration changes nothing: same URLs, no new token', async () => {
    const { deps, integrations, clock, random } = integrationWorld();
    const first = await activateIntegration(deps, 'acme', BASE_URL);
    const stored = await integrations.get('acme');
    clock.advance(60_000);
    const again = await activateIntegration(deps, 'acme', BASE_URL);
    expect(again).toEqual(first);
    expect(await integrations.get('acme')).toEqual(stored);
    expect(random.draws).toBe(1);
  });

  test('activating after a deactivation issues a new token, the old one stays dead, and the dates start again', async () => {
    const { deps, clock, accountOfToken } = integrationWorld();
    const first = await activateIntegration(deps, 'acme', BASE_URL);
    clock.advance(60_000);
    await deactivateIntegration(deps, 'acme', BASE_URL);
    clock.advance(60_000);
    const again = await activateIntegration(deps, 'acme', BASE_URL);

    expect(tokenInUrl(again.conversionUrl)).not.toBe(tokenInUrl(first.conversionUrl));
    expect(await accountOfToken(tokenInUrl(first.conversionUrl)!)).toBeNull();
    expect(await accountOfToken(tokenInUrl(again.conversionUrl)!)).toBe('acme');
    expect(again).toMatchObject({
      status: 'active',
      activatedAt: '2026-11-25T10:02:00.000Z',
      rotatedAt: null,
      deactivatedAt: null,
    });
  });

  test('each account gets its own token', async () => {
    const { deps } = integrationWorld();
    const a = await activateIntegration(deps, 'acme', BASE_URL);
    const b = await activateIntegration(deps, 'other', BASE_URL);
    expect(tokenInUrl(a.conversionUrl)).not.toBe(tokenInUrl(b.conversionUrl));
  });
});
