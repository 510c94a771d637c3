/** The account's links, merchants or products, a page at a time (one query of the page's size). */
import type { CatalogListing, CatalogRepository } from '../ports/catalog-repository';
import { listQuerySchema, parseQuery } from './list-query';

const schema = listQuerySchema.pick({ limit: true, cursor: true });

export async function listCatalog(
  deps: { readonly catalog: Pick<CatalogRepository, 'pageCatalog'> },
  accountId: string,
  what: CatalogListing,
  query: Record<string, string | undefined>,
) {
  const { limit, cursor } = parseQuery(schema, query);
  return deps.catalog.pageCatalog(accountId, what, limit, cursor ?? null);
}
