import { replayPostback } from '../../../functions/use-cases/replay-postbacks';
import { recordPostback } from '../../../functions/use-cases/record-postback';
import { postbackMessage } from '../../support/factories';
import {
  CollectingPublisher,
  CountingRandom,
  FixedClock,
  InMemoryAggregates,
  InMemoryCatalog,
  InMemoryLedger,
  InMemoryTraffic,
} from '../../support/fakes';

test('a replay, and a replay of that replay, carry when the content first arrived', async () => {
  const ledger = new InMemoryLedger();
  const catalog = new InMemoryCatalog();
  const clock = new FixedClock(new Date('2026-11-30T10:00:00.000Z'));
  const publisher = new CollectingPublisher();
  const random = new CountingRandom();
  const record = (message: Parameters<typeof recordPostback>[1]) =>
    recordPostback(
      {
        ledger,
        catalog,
        traffic: new InMemoryTraffic(catalog),
        aggregates: new InMemoryAggregates(ledger),
        clock,
        random,
      },
      message,
    );
  const original = postbackMessage({
    query: { orderid: '{ORDERID}' },
    receivedAt: new Date('2026-11-29T08:00:00.000Z'),
  });
  await record(original);

  clock.advance(60_000);
  await replayPostback({ ledger, publisher, clock, random, waitMs: 0 }, 'acct-1', original.postbackId);
  const first = publisher.messages.at(-1)!;
  expect(first).toMatchObject({
    replayOf: original.postbackId,
    originalReceivedAt: '2026-11-29T08:00:00.000Z',
    receivedAt: '2026-11-30T10:01:00.000Z',
  });
  await record(first);

  clock.advance(60_000);
  await replayPostback({ ledger, publisher, clock, random, waitMs: 0 }, 'acct-1', first.postbackId);
  expect(publisher.messages.at(-1)).toMatchObject({
    replayOf: first.postbackId,
    originalReceivedAt: '2026-11-29T08:00:00.000Z',
    receivedAt: '2026-11-30T10:02:00.000Z',
  });
});
