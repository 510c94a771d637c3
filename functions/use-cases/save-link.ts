/** Affiliate links: where a click goes. The destination is only ever taken from here (no open redirect). */
import { linkInputSchema, type Link } from '../domain/catalog';
import type { CatalogDependencies } from './save-merchant';
import { validateInput } from './validate-input';

export async function saveLink(
  deps: CatalogDependencies,
  accountId: string,
  linkId: string,
  body: unknown,
): Promise<{ link: Link; created: boolean }> {
  const input = validateInput(linkInputSchema, body, 'link');
  const existing = await deps.catalog.getLink(linkId);
  const now = deps.clock.now().toISOString();
  const mine = existing?.accountId === accountId ? existing : null;
  const link: Link = { accountId, linkId, ...input, createdAt: mine?.createdAt ?? now, updatedAt: now };
  await deps.catalog.putLink(link); // refuses a link id owned by another account
  return { link, created: !mine };
}
