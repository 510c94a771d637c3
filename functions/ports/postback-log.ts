import type { PostbackOutcome, PostbackRecord } from '../domain/postback-log';
import type { Page, TimeRange } from './page';

/** Every postback received, with what became of it (functions/domain/postback-log.ts). */
export interface PostbackLog {
  getPostback(accountId: string, postbackId: string): Promise<PostbackRecord | null>;
  putPostback(record: PostbackRecord): Promise<void>;
  /** By outcome and/or issue code: read units proportional to the page (sparse index, issue items). */
  listPostbacks(
    accountId: string,
    range: TimeRange,
    outcome: PostbackOutcome | null,
    limit: number,
    cursor: string | null,
    issue?: string | null,
  ): Promise<Page<PostbackRecord>>;
}
