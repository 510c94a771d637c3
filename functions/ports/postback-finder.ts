import type { PostbackRecord } from '../domain/postback-log';
import type { PostbackFilter } from '../domain/replay-job';
import type { Page } from './page';

/**
 * The postback log as bulk replay reads it: pages of the postbacks a filter matches (newest first, one
 * cursor over the shards) and how many match, read through the same indexes as the filtered listing (an
 * issue's own items, the sparse outcome index), so a page and a count cost what they return.
 */
export interface PostbackFinder {
  findPostbacks(
    accountId: string,
    filter: PostbackFilter,
    limit: number,
    cursor: string | null,
  ): Promise<Page<PostbackRecord>>;
  /** Counts what the filter matches, giving up after `budgetMs`: `exact` false means `count` is what was counted by then. */
  countPostbacks(
    accountId: string,
    filter: PostbackFilter,
    budgetMs: number,
  ): Promise<{ count: number; exact: boolean }>;
}
