import type { PostbackRecord } from '../../../functions/domain/postback-log';
import { awaitPostback } from '../../../functions/use-cases/await-postback';
import { FixedClock } from '../../support/fakes';

/** A log that has the record from the `after`-th read on (0: never). */
function logFoundAfter(after: number) {
  const record = { postbackId: 'pb_1', accountId: 'acme' } as PostbackRecord;
  const reads: string[] = [];
  return {
    reads,
    ledger: {
      getPostback: async (accountId: string, postbackId: string) => {
        reads.push(`${accountId}/${postbackId}`);
        return after > 0 && reads.length >= after ? record : null;
      },
    },
    record,
  };
}

describe('waiting for a just-enqueued postback', () => {
  test('a record already there is returned at once, without sleeping', async () => {
    const clock = new FixedClock();
    const { ledger, reads, record } = logFoundAfter(1);
    expect(await awaitPostback({ ledger, clock }, 'acme', 'pb_1', 5000)).toBe(record);
    expect(reads).toEqual(['acme/pb_1']);
    expect(clock.now().toISOString()).toBe('2026-11-25T10:00:00.000Z');
  });

  test('it polls every pollMs until the record appears', async () => {
    const clock = new FixedClock();
    const { ledger, reads, record } = logFoundAfter(4);
    expect(await awaitPostback({ ledger, clock }, 'acme', 'pb_1', 5000, 250)).toBe(record);
    expect(reads).toHaveLength(4);
    expect(clock.now().toISOString()).toBe('2026-11-25T10:00:00.750Z');
  });

  test('past the timeout it gives up with null, after one last read at the deadline', async () => {
    const clock = new FixedClock();
    const { ledger, reads } = logFoundAfter(0);
    expect(await awaitPostback({ ledger, clock }, 'acme', 'pb_1', 1000, 100)).toBeNull();
    expect(reads).toHaveLength(11); // at 0, 100, ..., 1000 ms
  });

  test('a timeout of 0 reads once', async () => {
    const { ledger, reads } = logFoundAfter(0);
    expect(await awaitPostback({ ledger, clock: new FixedClock() }, 'acme', 'pb_1', 0)).toBeNull();
    expect(reads).toHaveLength(1);
  });
});
