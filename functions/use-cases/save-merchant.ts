/**
 * Merchant activation: an account configures a merchant that takes payments through Buygoods. Saving it
 * is what triggers pixel creation (the table stream carries the change to the pixel creator).
 */
import { merchantInputSchema, type Merchant } from '../domain/catalog';
import { NotFoundError } from '../domain/errors';
import type { CatalogRepository } from '../ports/catalog-repository';
import type { Clock } from '../ports/clock';
import { validateInput } from './validate-input';

export interface CatalogDependencies {
  readonly catalog: CatalogRepository;
  readonly clock: Clock;
}

export async function saveMerchant(
  deps: CatalogDependencies,
  accountId: string,
  merchantId: string,
  body: unknown,
): Promise<{ merchant: Merchant; created: boolean }> {
  const input = validateInput(merchantInputSchema, body, 'merchant');
  const existing = await deps.catalog.getMerchant(accountId, merchantId);
  const now = deps.clock.now().toISOString();
  const merchant: Merchant = {
    accountId,
    merchantId,
    ...input,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.catalog.putMerchant(merchant);
  return { merchant, created: !existing };
}

export async function getMerchant(
  deps: Pick<CatalogDependencies, 'catalog'>,
  accountId: string,
  merchantId: string,
): Promise<Merchant> {
  const merchant = await deps.catalog.getMerchant(accountId, merchantId);
  if (!merchant) throw new NotFoundError('No merchant with this id in this account');
  return merchant;
}
