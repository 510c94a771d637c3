/**
 * Partial batch responses when invocations overlap: each response names exactly the failed records of its
 * own batch. (A processor shared between invocations once mixed them up, and the local runner deleted a
 * failed message: found by the fault-injection stress suite.)
 */
import type { Context } from 'aws-lambda';
import { createConsumerHandler } from '../../../functions/handlers/consumer-handler';
import { postbackMessage, sqsEvent } from '../../support/factories';
import { FixedClock, InMemoryCatalog, InMemoryAggregates, InMemoryLedger, InMemoryTraffic } from '../../support/fakes';

const context = { functionName: 'consumer', awsRequestId: 'req', getRemainingTimeInMillis: () => 30000 } as unknown as Context;

/** A ledger whose reads are slow (so invocations overlap) and throttled for the chosen orders. */
class ThrottlingLedger extends InMemoryLedger {
  constructor(private readonly throttled: Set<string>) {
    super();
  }
  override async getConversion(...args: Parameters<InMemoryLedger['getConversion']>) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.throttled.has(args[1])) throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    return super.getConversion(...args);
  }
}

test('overlapping invocations each report only their own failed records', async () => {
  const failing = Array.from({ length: 3 }, (_, n) => postbackMessage({ query: { orderid: `F-${n}`, commission: '1.00' } }));
  const passing = Array.from({ length: 5 }, (_, n) => postbackMessage({ query: { orderid: `P-${n}`, commission: '1.00' } }));
  const ledger = new ThrottlingLedger(new Set(['F-0', 'F-1', 'F-2']));
  const catalog = new InMemoryCatalog();
  const handler = createConsumerHandler({ ledger, catalog, traffic: new InMemoryTraffic(catalog), aggregates: new InMemoryAggregates(ledger), clock: new FixedClock() });

  const [withFailures, allGood] = await Promise.all([
    handler(sqsEvent([passing[0]!, ...failing], 'a'), context),
    handler(sqsEvent(passing.slice(1), 'b'), context),
  ]);

  expect(withFailures.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(['a-1', 'a-2', 'a-3']);
  expect(allGood.batchItemFailures).toEqual([]);
  for (const message of passing) expect(await ledger.getPostback(message.accountId, message.postbackId)).toMatchObject({ outcome: 'accepted' });
});
