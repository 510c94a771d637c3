/**
 * The IntegrationRepository contract (functions/ports/integration-repository.ts): token lookup by hash,
 * activation, rotation and deactivation, and the conditions that keep two changes from both landing.
 */
import { randomBytes } from 'node:crypto';
import { ConflictError } from '../../functions/domain/errors';
import type { IntegrationState } from '../../functions/domain/integration';
import type { IntegrationRepository } from '../../functions/ports/integration-repository';
import { at, freshAccount } from './records';

const tokenHash = () => `th_${randomBytes(8).toString('hex')}`;
const active = (accountId: string, hash: string, when = at(0)): IntegrationState => ({
  accountId,
  status: 'active',
  tokenNonce: `nonce-${hash}`,
  tokenHash: hash,
  activatedAt: when,
  updatedAt: when,
  rotatedAt: null,
  deactivatedAt: null,
});

export function describeIntegrationRepositoryContract(
  name: string,
  makeRepository: () => IntegrationRepository | Promise<IntegrationRepository>,
): void {
  describe(`IntegrationRepository contract: ${name}`, () => {
    let integrations: IntegrationRepository;
    let account: string;
    beforeEach(async () => {
      integrations = await makeRepository();
      account = freshAccount('intg');
    });

    test('an activation is read back, and its token hash finds the account', async () => {
      const hash = tokenHash();
      expect(await integrations.get(account)).toBeNull();
      expect(await integrations.findAccountByTokenHash(hash)).toBeNull();
      const state = active(account, hash);
      await integrations.saveWithToken(state, null);
      expect(await integrations.get(account)).toEqual(state);
      expect(await integrations.findAccountByTokenHash(hash)).toBe(account);
    });

    test('a rotation retires the previous token: only the new hash finds the account', async () => {
      const [first, second] = [tokenHash(), tokenHash()];
      await integrations.saveWithToken(active(account, first), null);
      const rotated = { ...active(account, second), rotatedAt: at(5), updatedAt: at(5) };
      await integrations.saveWithToken(rotated, first);
      expect(await integrations.get(account)).toEqual(rotated);
      expect(await integrations.findAccountByTokenHash(first)).toBeNull();
      expect(await integrations.findAccountByTokenHash(second)).toBe(account);
    });

    test.each([
      ['a rotation naming a token that is not the current one', (current: string) => `${current}-stale`],
      ['an activation (no previous token) while the integration is active', () => null],
    ])('%s fails with ConflictError and changes nothing', async (_case, previousOf) => {
      const current = tokenHash();
      const state = active(account, current);
      await integrations.saveWithToken(state, null);
      const next = tokenHash();
      await expect(
        integrations.saveWithToken(active(account, next, at(9)), previousOf(current)),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await integrations.get(account)).toEqual(state);
      expect(await integrations.findAccountByTokenHash(current)).toBe(account);
      expect(await integrations.findAccountByTokenHash(next)).toBeNull();
    });

    test('a token hash another account holds is not taken over', async () => {
      const hash = tokenHash();
      const other = freshAccount();
      await integrations.saveWithToken(active(other, hash), null);
      await expect(integrations.saveWithToken(active(account, hash), null)).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await integrations.findAccountByTokenHash(hash)).toBe(other);
      expect(await integrations.get(account)).toBeNull();
    });

    test('a deactivation retires the token and marks the integration inactive; it can be activated again', async () => {
      const hash = tokenHash();
      const state = active(account, hash);
      await integrations.saveWithToken(state, null);
      await integrations.deactivate(account, hash, at(7));
      expect(await integrations.get(account)).toEqual({
        ...state,
        status: 'inactive',
        tokenHash: null,
        tokenNonce: null,
        deactivatedAt: at(7),
        updatedAt: at(7),
      });
      expect(await integrations.findAccountByTokenHash(hash)).toBeNull();
      const again = active(account, tokenHash(), at(8));
      await integrations.saveWithToken(again, null);
      expect(await integrations.get(account)).toEqual(again);
      expect(await integrations.findAccountByTokenHash(again.tokenHash!)).toBe(account);
    });

    test('deactivating an account that has no integration fails with ConflictError and creates none', async () => {
      await expect(integrations.deactivate(account, null, at(1))).rejects.toBeInstanceOf(ConflictError);
      expect(await integrations.get(account)).toBeNull();
    });
  });
}
