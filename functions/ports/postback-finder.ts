import type { PostbackRecord } from '../domain/postback-log';
import type { PostbackFilter } from '../domain/replay-job';
import type { Page } from './page';

/**
 * The postback log as bulk replay reads it: pages of the postbacks a filter matches (newest first, one
 * cursor over the shards) and how many match. The issue filter is applied to the pages for now; an index
 * by issue code can take its place behind this port.
 */
export interface PostbackFinder {
  findPostbacks(accountId: string, filter: PostbackFilter, limit: number, cursor: string | null): Promise<Page<PostbackRecord>>;
  /** Counts what the filter matches, giving up after `budgetMs`: `exact` false means `count` is what was counted by then. */
  countPostbacks(accountId: string, filter: PostbackFilter, budgetMs: number): Promise<{ count: number; exact: boolean }>;
}
