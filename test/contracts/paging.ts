/** Follows a listing's cursors to the end: every page within the limit, the items in the order served. */
import type { Page } from '../../functions/ports/page';

export async function readAllPages<T>(
  limit: number,
  page: (cursor: string | null) => Promise<Page<T>>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const next: Page<T> = await page(cursor);
    expect(next.items.length).toBeLessThanOrEqual(limit);
    items.push(...next.items);
    cursor = next.cursor;
    pages += 1;
    // A listing that never ends would hang the suite: no honest one needs more pages than items.
    expect(pages).toBeLessThanOrEqual(items.length + 2);
  } while (cursor !== null);
  return { items, pages };
}

/** Newest first by a time field, ties broken by id (as the sharded listings sort their keys). */
export function newestFirst<T>(items: readonly T[], time: (item: T) => string, id: (item: T) => string): T[] {
  return [...items].sort((a, b) => `${time(b)}#${id(b)}`.localeCompare(`${time(a)}#${id(a)}`));
}
