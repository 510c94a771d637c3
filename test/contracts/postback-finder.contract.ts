/**
 * The PostbackFinder contract (functions/ports/postback-finder.ts), bulk replay's reading of the log: pages
 * newest first under a filter, one cursor to the end, and a count of what the filter matches.
 */
import type { PostbackRecord } from '../../functions/domain/postback-log';
import type { PostbackFilter } from '../../functions/domain/replay-job';
import type { PostbackFinder } from '../../functions/ports/postback-finder';
import type { PostbackLog } from '../../functions/ports/postback-log';
import { at, freshAccount, postback } from './records';
import { newestFirst, readAllPages } from './paging';

export interface PostbackFinderWorld {
  readonly log: PostbackLog;
  readonly finder: PostbackFinder;
}

/** Long enough for any honest count of a few records: the count is then exact. */
const BUDGET_MS = 30_000;

export function describePostbackFinderContract(
  name: string,
  makeWorld: () => PostbackFinderWorld | Promise<PostbackFinderWorld>,
): void {
  describe(`PostbackFinder contract: ${name}`, () => {
    let world: PostbackFinderWorld;
    let account: string;
    let written: PostbackRecord[];
    beforeEach(async () => {
      world = await makeWorld();
      account = freshAccount('find');
      const shapes: Array<Pick<PostbackRecord, 'outcome' | 'issues'>> = [
        { outcome: 'accepted', issues: [] },
        { outcome: 'rejected', issues: ['click_id_missing'] },
        { outcome: 'accepted', issues: ['click_id_missing', 'amount_invalid'] },
        { outcome: 'duplicate', issues: [] },
        { outcome: 'updated', issues: ['amount_invalid'] },
        { outcome: 'accepted', issues: ['click_id_missing'] },
        { outcome: 'rejected', issues: [] },
      ];
      written = shapes.map((shape, index) => postback(account, at(index * 4), shape));
      for (const record of written) await world.log.putPostback(record);
      await world.log.putPostback(
        postback(freshAccount(), at(2), { outcome: 'accepted', issues: ['click_id_missing'] }),
      );
    });
    const matching = (filter: PostbackFilter) =>
      newestFirst(
        written.filter(
          (p) =>
            (filter.outcome === null || p.outcome === filter.outcome) &&
            (filter.issue === null || p.issues.includes(filter.issue)) &&
            (filter.from === null || p.receivedAt >= filter.from) &&
            p.receivedAt <= filter.to,
        ),
        (p) => p.receivedAt,
        (p) => p.postbackId,
      );

    const filters: PostbackFilter[] = [
      { outcome: null, issue: null, from: null, to: at(60) },
      { outcome: 'accepted', issue: null, from: null, to: at(60) },
      { outcome: 'rejected', issue: null, from: null, to: at(60) },
      { outcome: null, issue: 'click_id_missing', from: null, to: at(60) },
      { outcome: 'accepted', issue: 'click_id_missing', from: null, to: at(60) },
      { outcome: null, issue: null, from: at(4), to: at(16) },
      { outcome: null, issue: 'amount_invalid', from: at(8), to: at(60) },
      { outcome: 'ignored', issue: null, from: null, to: at(60) },
    ];
    test.each(
      filters.flatMap((filter) =>
        [1, 3].map((limit): [string, number, PostbackFilter] => [JSON.stringify(filter), limit, filter]),
      ),
    )(
      'filter %s in pages of %i: newest first, the cursor continuing without duplicates or gaps',
      async (_label, limit, filter) => {
        const { items } = await readAllPages(limit, (cursor) =>
          world.finder.findPostbacks(account, filter, limit, cursor),
        );
        expect(items).toEqual(matching(filter));
      },
    );

    test.each(filters.map((filter): [string, PostbackFilter] => [JSON.stringify(filter), filter]))(
      'filter %s: the count is exact and is what the pages hold',
      async (_label, filter) => {
        expect(await world.finder.countPostbacks(account, filter, BUDGET_MS)).toEqual({
          count: matching(filter).length,
          exact: true,
        });
      },
    );
  });
}
