/**
 * Partial batch responses when invocations overlap: each response names exactly the failed records of its
 * own batch. (A processor shared between invocations once mixed them up, and the local runner deleted a
 * failed message: found by the fault-injection stress suite.)
 */
import type { Context } from 'aws-lambda';
import { createConsumerHandler } from '../../../functions/handlers/consumer';
import { postbackMessage, sqsEvent } from '../../support/factories';
import {
  CountingRandom,
  FixedClock,
  InMemoryAggregates,
  InMemoryCatalog,
  InMemoryLedger,
  InMemoryTraffic,
} from '../../support/fakes';

const context = {
  functionName: 'consumer',
  awsRequestId: 'req',
  getRemainingTimeInMillis: () => 30000,
} as unknown as Context;

/** A ledger whose reads are slow (so invocations overlap) and throttled for the chosen orders. */
class ThrottlingLedger extends InMemoryLedger {
  constructor(private readonly throttled: Set<string>) {
    super();
  }
  override async getConversion(...args: Parameters<InMemoryLedger['getConversion']>) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.throttled.has(args[1]))
      throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    return super.getConversion(...args);
  }
}

test('overlapping invocations each report only their own failed records', async () => {
  const failing = Array.from({ length: 3 }, (_, n) =>
    postbackMessage({ query: { orderid: `F-${n}`, commission: '1.00' } }),
  );
  const passing = Array.from({ length: 5 }, (_, n) =>
    postbackMessage({ query: { orderid: `P-${n}`, commission: '1.00' } }),
  );
  const ledger = new ThrottlingLedger(new Set(['F-0', 'F-1', 'F-2']));
  const catalog = new InMemoryCatalog();
  const handler = createConsumerHandler({
    ledger,
    catalog,
    traffic: new InMemoryTraffic(catalog),
    aggregates: new InMemoryAggregates(ledger),
    clock: new FixedClock(),
    random: new CountingRandom(),
  });

  const [withFailures, allGood] = await Promise.all([
    handler(sqsEvent([passing[0]!, ...failing], 'a'), context),
    handler(sqsEvent(passing.slice(1), 'b'), context),
  ]);

  expect(withFailures.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
    'a-1',
    'a-2',
    'a-3',
  ]);
  expect(allGood.batchItemFailures).toEqual([]);
  for (const message of passing)
    expect(await ledger.getPostback(message.accountId, message.postbackId)).toMatchObject({
      outcome: 'accepted',
    });
});

describe('catalog lookups shared by a batch', () => {
  const product = (merchantId: string) => ({
    accountId: 'acct-1',
    productId: 'p-1',
    merchantId,
    name: 'Keto',
    fulfillmentProvider: 'buygoods' as const,
    productCodename: 'Keto1',
    settings: {},
    createdAt: 'x',
    updatedAt: 'x',
  });
  const batchOf = (prefix: string) =>
    Array.from({ length: 6 }, (_, n) =>
      postbackMessage({
        query: { orderid: `${prefix}-${n}`, commission: '1.00', product: n % 2 === 0 ? 'keto1' : 'KETO1' },
      }),
    );

  test('a batch reads a product codename once, and the next batch reads it again, so a changed mapping is seen from the next batch on', async () => {
    const ledger = new InMemoryLedger();
    const catalog = new InMemoryCatalog();
    await catalog.putProduct(product('m-1'), null);
    const reads = jest.spyOn(catalog, 'findProductByCodename');
    const handler = createConsumerHandler({
      ledger,
      catalog,
      traffic: new InMemoryTraffic(catalog),
      aggregates: new InMemoryAggregates(ledger),
      clock: new FixedClock(),
      random: new CountingRandom(),
    });

    const first = batchOf('B1');
    expect((await handler(sqsEvent(first, 'a'), context)).batchItemFailures).toEqual([]);
    expect(reads).toHaveBeenCalledTimes(1);

    await catalog.putProduct(product('m-2'), 'Keto1');
    const second = batchOf('B2');
    expect((await handler(sqsEvent(second, 'b'), context)).batchItemFailures).toEqual([]);
    expect(reads).toHaveBeenCalledTimes(2);
    const merchantOf = (orderId: string) =>
      [...ledger.conversions.values()].find((conversion) => conversion.orderId === orderId)?.merchantId;
    expect(first.map((_, n) => merchantOf(`B1-${n}`))).toEqual(Array(6).fill('m-1'));
    expect(second.map((_, n) => merchantOf(`B2-${n}`))).toEqual(Array(6).fill('m-2'));
  });
});
