/**
 * Products fulfilled by Buygoods: each belongs to an existing merchant of the account and names its
 * Buygoods product codename, which is how postbacks find it.
 */
import { productInputSchema, type Product } from '../domain/catalog';
import { NotFoundError, ValidationError } from '../domain/errors';
import type { CatalogDependencies } from './save-merchant';
import { validateInput } from './validate-input';

export async function saveProduct(
  deps: CatalogDependencies,
  accountId: string,
  productId: string,
  body: unknown,
): Promise<{ product: Product; created: boolean }> {
  const input = validateInput(productInputSchema, body, 'product');
  const [merchant, existing] = await Promise.all([
    deps.catalog.getMerchant(accountId, input.merchantId),
    deps.catalog.getProduct(accountId, productId),
  ]);
  if (!merchant)
    throw new ValidationError("The product's merchant does not exist", {
      merchantId: ['must be an existing merchant of this account'],
    });
  const now = deps.clock.now().toISOString();
  const product: Product = {
    accountId,
    productId,
    ...input,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.catalog.putProduct(product, existing?.productCodename ?? null);
  return { product, created: !existing };
}

export async function getProduct(
  deps: Pick<CatalogDependencies, 'catalog'>,
  accountId: string,
  productId: string,
): Promise<Product> {
  const product = await deps.catalog.getProduct(accountId, productId);
  if (!product) throw new NotFoundError('No product with this id in this account');
  return product;
}
