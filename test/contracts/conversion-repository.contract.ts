/**
 * The ConversionRepository contract (functions/ports/conversion-repository.ts), run against the in-memory
 * fake (unit project) and the DynamoDB adapter on DynamoDB Local (integration project).
 */
import { BadRequestError, WriteConflictError } from '../../functions/domain/errors';
import type { ConversionRecord } from '../../functions/domain/conversion';
import type { ConversionKind } from '../../functions/domain/postback';
import type { ConversionRepository } from '../../functions/ports/conversion-repository';
import { at, commissionEvent, conversion, freshAccount } from './records';
import { newestFirst, readAllPages } from './paging';

export function describeConversionRepositoryContract(
  name: string,
  makeRepository: () => ConversionRepository | Promise<ConversionRepository>,
): void {
  describe(`ConversionRepository contract: ${name}`, () => {
    let repository: ConversionRepository;
    let account: string;
    beforeEach(async () => {
      repository = await makeRepository();
      account = freshAccount('conv');
    });

    test('a slot never written reads as null; a created one reads back as written', async () => {
      expect(await repository.getConversion(account, 'o-1', 'primary')).toBeNull();
      const record = conversion(account, 'o-1');
      await repository.putConversion(record, null);
      expect(await repository.getConversion(account, 'o-1', 'primary')).toEqual(record);
      expect(await repository.getConversion(account, 'o-1', 'refund')).toBeNull();
      expect(await repository.getConversion(freshAccount(), 'o-1', 'primary')).toBeNull();
    });

    test('a write conditional on what was read succeeds, and replaces the record', async () => {
      const first = conversion(account, 'o-1');
      await repository.putConversion(first, null);
      const read = (await repository.getConversion(account, 'o-1', 'primary'))!;
      const second = { ...read, version: read.version + 1, updatedAt: at(5), commissionCents: 2000 };
      await repository.putConversion(second, read);
      expect(await repository.getConversion(account, 'o-1', 'primary')).toEqual(second);
    });

    const stale: Array<
      [string, (current: ConversionRecord) => Pick<ConversionRecord, 'version' | 'updatedAt'> | null]
    > = [
      ['a create (read: nothing) over an existing record', () => null],
      ['an older version', (current) => ({ version: current.version - 1, updatedAt: current.updatedAt })],
      [
        'the same version with another updatedAt',
        (current) => ({ version: current.version, updatedAt: at(-1) }),
      ],
      [
        'a newer version than stored',
        (current) => ({ version: current.version + 1, updatedAt: current.updatedAt }),
      ],
    ];
    test.each(stale)(
      'a write conditional on %s fails with WriteConflictError and changes nothing',
      async (_case, readOf) => {
        await repository.putConversion(conversion(account, 'o-1'), null);
        const current = (await repository.getConversion(account, 'o-1', 'primary'))!;
        const updated = { ...current, version: current.version + 1, updatedAt: at(5) };
        await repository.putConversion(updated, current);
        await expect(
          repository.putConversion(
            { ...updated, version: updated.version + 1, commissionCents: 1 },
            readOf(updated),
          ),
        ).rejects.toBeInstanceOf(WriteConflictError);
        expect(await repository.getConversion(account, 'o-1', 'primary')).toEqual(updated);
      },
    );

    test('a write conditional on a read record fails when the slot holds nothing', async () => {
      const record = conversion(account, 'o-1');
      await expect(
        repository.putConversion(record, { version: 1, updatedAt: record.updatedAt }),
      ).rejects.toBeInstanceOf(WriteConflictError);
      expect(await repository.getConversion(account, 'o-1', 'primary')).toBeNull();
    });

    test('of two writers that read the same version, only the first one lands', async () => {
      await repository.putConversion(conversion(account, 'o-1'), null);
      const read = (await repository.getConversion(account, 'o-1', 'primary'))!;
      const a = { ...read, version: 2, updatedAt: at(1), commissionCents: 111 };
      const b = { ...read, version: 2, updatedAt: at(2), commissionCents: 222 };
      await repository.putConversion(a, read);
      await expect(repository.putConversion(b, read)).rejects.toBeInstanceOf(WriteConflictError);
      expect((await repository.getConversion(account, 'o-1', 'primary'))?.commissionCents).toBe(111);
    });

    test('of concurrent writes conditional on the same read, exactly one lands; the others conflict', async () => {
      await repository.putConversion(conversion(account, 'o-1'), null);
      const read = (await repository.getConversion(account, 'o-1', 'primary'))!;
      const writes = [1, 2, 3].map((minute) => ({
        ...read,
        version: 2,
        updatedAt: at(minute),
        commissionCents: minute,
      }));
      const results = await Promise.allSettled(writes.map((write) => repository.putConversion(write, read)));
      const landed = writes.filter((_, index) => results[index]!.status === 'fulfilled');
      // One conditional write on one item: the store serializes them, so exactly one finds the version it read.
      expect(landed).toHaveLength(1);
      for (const result of results)
        if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(WriteConflictError);
      expect(await repository.getConversion(account, 'o-1', 'primary')).toEqual(landed[0]);
    });

    test('concurrent puts of one commission event: exactly one returns true', async () => {
      const event = commissionEvent(account, 'o-1', 'fp-1');
      const results = await Promise.all(
        [1, 2, 3].map((n) => repository.putCommissionEvent({ ...event, postbackId: `pb-${n}` })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await repository.getCommissionEvent(account, 'o-1', 'fp-1'))?.postbackId).toBe(
        `pb-${results.indexOf(true) + 1}`,
      );
    });

    test('a commission event is put once: the second put returns false and keeps the first', async () => {
      const event = commissionEvent(account, 'o-1', 'fp-1');
      expect(await repository.getCommissionEvent(account, 'o-1', 'fp-1')).toBeNull();
      expect(await repository.putCommissionEvent(event)).toBe(true);
      expect(
        await repository.putCommissionEvent({ ...event, commissionCents: 9, postbackId: 'pb-other' }),
      ).toBe(false);
      expect(await repository.getCommissionEvent(account, 'o-1', 'fp-1')).toEqual(event);
      expect(await repository.putCommissionEvent(commissionEvent(account, 'o-1', 'fp-2'))).toBe(true);
    });

    test('a global order id finds the front-end order it was linked to', async () => {
      expect(await repository.findOrderByGlobalId(account, 'G-1')).toBeNull();
      await repository.linkGlobalOrder(account, 'G-1', 'o-1');
      expect(await repository.findOrderByGlobalId(account, 'G-1')).toBe('o-1');
      expect(await repository.findOrderByGlobalId(freshAccount(), 'G-1')).toBeNull();
    });

    test("an order's items are its own conversions and events, no other order's or account's", async () => {
      const mine = [
        conversion(account, 'o-1'),
        conversion(account, 'o-1', { kind: 'refund', slot: 'refund', occurredAt: at(3) }),
      ];
      for (const record of [...mine, conversion(account, 'o-2'), conversion(freshAccount(), 'o-1')])
        await repository.putConversion(record, null);
      const event = commissionEvent(account, 'o-1', 'fp-1');
      await repository.putCommissionEvent(event);
      await repository.putCommissionEvent(commissionEvent(account, 'o-2', 'fp-1'));
      const items = await repository.getOrderItems(account, 'o-1');
      expect(sortBySlot(items.conversions)).toEqual(sortBySlot(mine));
      expect(items.events).toEqual([event]);
      expect(await repository.getOrderItems(account, 'o-none')).toEqual({ conversions: [], events: [] });
    });

    test('primary conversions are found by order id; missing orders and other slots are left out', async () => {
      const primaries = [conversion(account, 'o-1'), conversion(account, 'o-2', { kind: 'upsell' })];
      for (const record of [...primaries, conversion(account, 'o-3', { kind: 'refund', slot: 'refund' })])
        await repository.putConversion(record, null);
      const found = await repository.getPrimaryConversions(account, [
        'o-1',
        'o-2',
        'o-3',
        'o-missing',
        'o-1',
      ]);
      expect(new Map([...found].sort(([a], [b]) => a.localeCompare(b)))).toEqual(
        new Map(primaries.map((record) => [record.orderId, record])),
      );
      expect((await repository.getPrimaryConversions(account, [])).size).toBe(0);
    });

    test('order activity is what occurred in the range, both ends included: conversions by occurredAt, events by receivedAt', async () => {
      const conversions = [0, 10, 20, 30].map((minute, index) =>
        conversion(account, `o-${index}`, { occurredAt: at(minute) }),
      );
      for (const record of conversions) await repository.putConversion(record, null);
      const events = [5, 10, 25, 35].map((minute, index) =>
        commissionEvent(account, `o-${index}`, `fp-${index}`, at(minute)),
      );
      for (const event of events) await repository.putCommissionEvent(event);
      await repository.putConversion(conversion(freshAccount(), 'o-x', { occurredAt: at(15) }), null);
      const ranges = [
        { from: at(10), to: at(25) },
        { from: null, to: at(10) },
        { from: at(25), to: null },
        { from: null, to: null },
      ];
      for (const range of ranges) {
        const inRange = (time: string) =>
          (range.from === null || time >= range.from) && (range.to === null || time <= range.to);
        const activity = await repository.listOrderActivity(account, range);
        expect(sortBySlotAndOrder(activity.conversions)).toEqual(
          sortBySlotAndOrder(conversions.filter((c) => inRange(c.occurredAt))),
        );
        expect([...activity.events].sort((a, b) => a.eventId.localeCompare(b.eventId))).toEqual(
          events.filter((e) => inRange(e.receivedAt)),
        );
      }
    });

    describe('listConversions', () => {
      const kinds: ConversionKind[] = [
        'purchase',
        'upsell',
        'refund',
        'purchase',
        'rebill',
        'purchase',
        'chargeback',
      ];
      let written: ConversionRecord[];
      beforeEach(async () => {
        written = kinds.map((kind, index) =>
          conversion(account, `o-${index}`, { kind, occurredAt: at(index * 7) }),
        );
        for (const record of written) await repository.putConversion(record, null);
        // Noise the listing must leave out: another account's conversion, and commission events.
        await repository.putConversion(conversion(freshAccount(), 'o-x', { occurredAt: at(1) }), null);
        await repository.putCommissionEvent(commissionEvent(account, 'o-0', 'fp-1', at(2)));
      });
      const expected = (kind: ConversionKind | null, from: string | null, to: string | null) =>
        newestFirst(
          written.filter(
            (c) =>
              (kind === null || c.kind === kind) &&
              (from === null || c.occurredAt >= from) &&
              (to === null || c.occurredAt <= to),
          ),
          (c) => c.occurredAt,
          (c) => c.conversionId,
        );

      test.each([null, 'purchase', 'refund', 'upsell', 'cancel'] as Array<ConversionKind | null>)(
        'by kind %s: newest first, within the range',
        async (kind) => {
          for (const [from, to] of [
            [null, null],
            [at(7), at(28)],
            [at(30), null],
          ] as Array<[string | null, string | null]>) {
            const page = await repository.listConversions(account, { from, to }, kind, 50, null);
            expect(page.items).toEqual(expected(kind, from, to));
          }
        },
      );

      test.each([
        [null, 2],
        [null, 3],
        ['purchase', 2],
        ['refund', 1],
      ] as Array<[ConversionKind | null, number]>)(
        'kind %s in pages of %i: the cursor continues without duplicates or gaps',
        async (kind, limit) => {
          const { items } = await readAllPages(limit, (cursor) =>
            repository.listConversions(account, { from: null, to: null }, kind, limit, cursor),
          );
          expect(items).toEqual(expected(kind, null, null));
        },
      );

      test.each(['not-a-cursor', Buffer.from('{"pk":"x"}').toString('base64url')])(
        'a cursor the listing did not return (%s) fails with BadRequestError',
        async (cursor) => {
          await expect(
            repository.listConversions(account, { from: null, to: null }, null, 2, cursor),
          ).rejects.toBeInstanceOf(BadRequestError);
        },
      );

      test('a limit smaller than the matches gives a cursor', async () => {
        const page = await repository.listConversions(account, { from: null, to: null }, null, 2, null);
        expect(page.items).toEqual(expected(null, null, null).slice(0, 2));
        expect(page.cursor).not.toBeNull();
      });
    });
  });
}

function sortBySlot(records: readonly ConversionRecord[]) {
  return [...records].sort((a, b) => a.slot.localeCompare(b.slot));
}

function sortBySlotAndOrder(records: readonly ConversionRecord[]) {
  return [...records].sort((a, b) => `${a.orderId}|${a.slot}`.localeCompare(`${b.orderId}|${b.slot}`));
}
