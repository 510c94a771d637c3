/** The account's pixels with their snippets, hit counts and last hit, so a user can see them fire. */
import { pixelSnippet } from '../domain/pixel';
import type { CatalogRepository } from '../ports/catalog-repository';

export async function listPixels(
  deps: { readonly catalog: Pick<CatalogRepository, 'listPixels'> },
  accountId: string,
  baseUrl: string,
) {
  const pixels = await deps.catalog.listPixels(accountId);
  return pixels
    .sort((a, b) => a.merchantId.localeCompare(b.merchantId) || a.event.localeCompare(b.event))
    .map((pixel) => ({
      pixelId: pixel.pixelId,
      accountId: pixel.accountId,
      merchantId: pixel.merchantId,
      event: pixel.event,
      createdAt: pixel.createdAt,
      hits: pixel.hits ?? 0,
      lastHitAt: pixel.lastHitAt ?? null,
      snippet: pixelSnippet(baseUrl, pixel),
    }));
}
