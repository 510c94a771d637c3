/** Gives a Buygoods merchant its page-view and conversion pixels; running it again creates nothing new. */
import { PIXEL_EVENTS, pixelIdFor, type Pixel } from '../domain/pixel';
import type { CatalogRepository } from '../ports/catalog-repository';
import type { Clock } from '../ports/clock';

export async function createMerchantPixels(
  deps: { readonly catalog: Pick<CatalogRepository, 'createPixel'>; readonly clock: Clock },
  merchant: { readonly accountId: string; readonly merchantId: string },
): Promise<{ created: string[]; existing: string[] }> {
  const createdAt = deps.clock.now().toISOString();
  const results = await Promise.all(
    PIXEL_EVENTS.map(async (event) => {
      const pixel: Pixel = {
        pixelId: pixelIdFor(merchant.accountId, merchant.merchantId, event),
        accountId: merchant.accountId,
        merchantId: merchant.merchantId,
        event,
        createdAt,
        hits: 0,
        lastHitAt: null,
      };
      return { pixelId: pixel.pixelId, created: await deps.catalog.createPixel(pixel) };
    }),
  );
  return {
    created: results.filter((r) => r.created).map((r) => r.pixelId),
    existing: results.filter((r) => !r.created).map((r) => r.pixelId),
  };
}
