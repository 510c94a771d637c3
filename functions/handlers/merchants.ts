/** Merchant activation API: merchants paid through Buygoods and the products Buygoods fulfils. */
import { getMerchant, saveMerchant, type CatalogDependencies } from '../use-cases/save-merchant';
import { getProduct, saveProduct } from '../use-cases/save-product';
import { json, type HttpResponse } from './http';
import { jsonBody } from './http-body';
import { createRoutedHandler, type Route } from './router';
import { MANAGEMENT_OPERATIONS } from './operations';
import type { MembershipRepository } from '../ports/membership-repository';

export function merchantRoutes(deps: CatalogDependencies): Route<HttpResponse>[] {
  const merchant = '/v1/accounts/:accountId/merchants/:merchantId';
  const product = '/v1/accounts/:accountId/products/:productId';
  return [
    {
      method: 'PUT',
      pattern: merchant,
      run: async ({ event, params }) => {
        const saved = await saveMerchant(deps, params.accountId!, params.merchantId!, jsonBody(event));
        return json(saved.created ? 201 : 200, saved.merchant);
      },
    },
    {
      method: 'GET',
      pattern: merchant,
      run: async ({ params }) => json(200, await getMerchant(deps, params.accountId!, params.merchantId!)),
    },
    {
      method: 'PUT',
      pattern: product,
      run: async ({ event, params }) => {
        const saved = await saveProduct(deps, params.accountId!, params.productId!, jsonBody(event));
        return json(saved.created ? 201 : 200, saved.product);
      },
    },
    {
      method: 'GET',
      pattern: product,
      run: async ({ params }) => json(200, await getProduct(deps, params.accountId!, params.productId!)),
    },
  ];
}

export function createMerchantsHandler(
  deps: CatalogDependencies & { readonly memberships: MembershipRepository },
) {
  return createRoutedHandler(merchantRoutes(deps), {
    memberships: deps.memberships,
    operations: MANAGEMENT_OPERATIONS,
  });
}
