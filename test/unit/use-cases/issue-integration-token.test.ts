import { ConflictError } from '../../../functions/domain/errors';
import { hashToken } from '../../../functions/domain/token';
import { issueIntegrationToken } from '../../../functions/use-cases/issue-integration-token';
import { BASE_URL, integrationWorld } from '../../support/integration-world';

describe('issuing a token (the step activate and rotate share)', () => {
  test('stores the drawn nonce and the hash of the token it derives, never the token', async () => {
    const { deps, integrations, tokenOf } = integrationWorld();
    const save = jest.spyOn(integrations, 'saveWithToken');
    await issueIntegrationToken(deps, 'acme', BASE_URL, null);

    const nonce = `${'0'.repeat(30)}01`;
    expect(save).toHaveBeenCalledWith(
      {
        accountId: 'acme',
        status: 'active',
        tokenNonce: nonce,
        tokenHash: hashToken(tokenOf('acme', nonce)),
        activatedAt: '2026-11-25T10:00:00.000Z',
        updatedAt: '2026-11-25T10:00:00.000Z',
        rotatedAt: null,
        deactivatedAt: null,
      },
      null,
    );
  });

  test('over an active integration it retires the previous token in the same write and dates the rotation', async () => {
    const { deps, integrations, clock } = integrationWorld();
    await issueIntegrationToken(deps, 'acme', BASE_URL, null);
    const previous = (await integrations.get('acme'))!;
    clock.advance(1_000);
    const save = jest.spyOn(integrations, 'saveWithToken');
    const view = await issueIntegrationToken(deps, 'acme', BASE_URL, previous);
    expect(save).toHaveBeenCalledWith(expect.anything(), previous.tokenHash);
    expect(view).toMatchObject({ activatedAt: previous.activatedAt, rotatedAt: '2026-11-25T10:00:01.000Z' });
  });

  test('when another change got there first the write is refused and no URLs are shown', async () => {
    const { deps, integrations } = integrationWorld();
    await issueIntegrationToken(deps, 'acme', BASE_URL, null);
    const stale = (await integrations.get('acme'))!;
    await issueIntegrationToken(deps, 'acme', BASE_URL, stale); // someone else rotated
    const current = await integrations.get('acme');
    await expect(issueIntegrationToken(deps, 'acme', BASE_URL, stale)).rejects.toBeInstanceOf(ConflictError);
    expect(await integrations.get('acme')).toEqual(current);
  });
});
