/**
 * The PostbackLog contract (functions/ports/postback-log.ts), run against the in-memory fake and the
 * DynamoDB adapter: reads after writes, newest-first listings by range, outcome and issue, and their pages.
 */
import { BadRequestError } from '../../functions/domain/errors';
import type { PostbackOutcome, PostbackRecord } from '../../functions/domain/postback-log';
import type { PostbackLog } from '../../functions/ports/postback-log';
import { at, freshAccount, postback } from './records';
import { newestFirst, readAllPages } from './paging';

export function describePostbackLogContract(
  name: string,
  makeLog: () => PostbackLog | Promise<PostbackLog>,
): void {
  describe(`PostbackLog contract: ${name}`, () => {
    let log: PostbackLog;
    let account: string;
    beforeEach(async () => {
      log = await makeLog();
      account = freshAccount('pblog');
    });

    test("a postback reads back as written; an unknown id or another account's reads as null", async () => {
      const record = postback(account, at(0), { outcome: 'rejected', issues: ['click_id_missing'] });
      expect(await log.getPostback(account, record.postbackId)).toBeNull();
      await log.putPostback(record);
      expect(await log.getPostback(account, record.postbackId)).toEqual(record);
      expect(await log.getPostback(freshAccount(), record.postbackId)).toBeNull();
      expect(await log.getPostback(account, postback(account, at(0)).postbackId)).toBeNull();
    });

    test('putting a postback again replaces it (its processing finished)', async () => {
      const record = postback(account, at(0));
      await log.putPostback({ ...record, processedAt: null });
      await log.putPostback(record);
      expect(await log.getPostback(account, record.postbackId)).toEqual(record);
      expect((await log.listPostbacks(account, { from: null, to: null }, null, 10, null)).items).toEqual([
        record,
      ]);
    });

    describe('listPostbacks', () => {
      const shapes: Array<{ outcome: Exclude<PostbackOutcome, 'pending'>; issues: string[] }> = [
        { outcome: 'accepted', issues: [] },
        { outcome: 'accepted', issues: ['click_id_missing'] },
        { outcome: 'duplicate', issues: [] },
        { outcome: 'rejected', issues: ['click_id_missing', 'amount_invalid'] },
        { outcome: 'updated', issues: ['amount_invalid'] },
        { outcome: 'ignored', issues: [] },
        { outcome: 'rejected', issues: [] },
        { outcome: 'accepted', issues: ['click_id_missing'] },
        { outcome: 'duplicate', issues: ['click_id_missing'] },
      ];
      let written: PostbackRecord[];
      beforeEach(async () => {
        written = shapes.map((shape, index) => postback(account, at(index * 3), shape));
        for (const record of written) await log.putPostback(record);
        await log.putPostback(
          postback(freshAccount(), at(4), { outcome: 'rejected', issues: ['click_id_missing'] }),
        );
      });
      const expected = (
        outcome: PostbackOutcome | null,
        issue: string | null,
        from: string | null = null,
        to: string | null = null,
      ) =>
        newestFirst(
          written.filter(
            (p) =>
              (outcome === null || p.outcome === outcome) &&
              (issue === null || p.issues.includes(issue)) &&
              (from === null || p.receivedAt >= from) &&
              (to === null || p.receivedAt <= to),
          ),
          (p) => p.receivedAt,
          (p) => p.postbackId,
        );

      const filters: Array<[PostbackOutcome | null, string | null]> = [
        [null, null],
        ['accepted', null],
        ['duplicate', null],
        ['rejected', null],
        ['updated', null],
        ['ignored', null],
        [null, 'click_id_missing'],
        [null, 'amount_invalid'],
        ['rejected', 'click_id_missing'],
        ['accepted', 'click_id_missing'],
        [null, 'never_seen'],
      ];
      test.each(filters)('outcome %s, issue %s: newest first, within the range', async (outcome, issue) => {
        for (const [from, to] of [
          [null, null],
          [at(3), at(15)],
          [at(10), null],
          [null, at(6)],
        ] as Array<[string | null, string | null]>) {
          const page = await log.listPostbacks(account, { from, to }, outcome, 50, null, issue);
          expect(page.items).toEqual(expected(outcome, issue, from, to));
        }
      });

      test.each([
        [null, null],
        ['rejected', null],
        [null, 'click_id_missing'],
      ] as Array<[PostbackOutcome | null, string | null]>)(
        'outcome %s, issue %s: a cursor the listing did not return fails with BadRequestError',
        async (outcome, issue) => {
          await expect(
            log.listPostbacks(account, { from: null, to: null }, outcome, 2, 'not-a-cursor', issue),
          ).rejects.toBeInstanceOf(BadRequestError);
        },
      );

      test.each(
        filters.flatMap(([outcome, issue]) =>
          [1, 2].map((limit): [PostbackOutcome | null, string | null, number] => [outcome, issue, limit]),
        ),
      )(
        'outcome %s, issue %s, in pages of %i: the cursor continues without duplicates or gaps',
        async (outcome, issue, limit) => {
          const { items } = await readAllPages(limit, (cursor) =>
            log.listPostbacks(account, { from: null, to: null }, outcome, limit, cursor, issue),
          );
          expect(items).toEqual(expected(outcome, issue));
        },
      );
    });
  });
}
