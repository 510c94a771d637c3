import { eraseCustomer } from '../../../functions/use-cases/erase-customer';
import { recordPostback } from '../../../functions/use-cases/record-postback';
import { WriteConflictError } from '../../../functions/domain/errors';
import { postbackMessage } from '../../support/factories';
import {
  CountingRandom,
  FixedClock,
  InMemoryAggregates,
  InMemoryCatalog,
  InMemoryLedger,
  InMemoryTraffic,
} from '../../support/fakes';

const ipn = (commission: string) =>
  postbackMessage({
    body: `action_type=neworder&order_id=ER-1&customer_name=Erin+Moss&customer_emailaddress=erin%40example.com&aff_commission=${commission}`,
  });

function setup() {
  const ledger = new InMemoryLedger();
  const catalog = new InMemoryCatalog();
  const clock = new FixedClock();
  const random = new CountingRandom();
  return {
    ledger,
    clock,
    record: (message: Parameters<typeof recordPostback>[1]) =>
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
      ),
    erase: () => eraseCustomer({ ledger, clock }, 'acct-1', { email: 'erin@example.com' }),
  };
}

test('a consumer that read the conversion before the erasure cannot write the customer back', async () => {
  const { ledger, record, erase } = setup();
  await record(ipn('20.00'));
  const read = (await ledger.getConversion('acct-1', 'ER-1', 'primary'))!;
  expect(await erase()).toMatchObject({ conversions: 1 });
  // Same clock, same version: only the erasure's later updatedAt tells the two apart.
  await expect(ledger.putConversion({ ...read, version: read.version + 1 }, read)).rejects.toThrow(
    WriteConflictError,
  );
  expect((await ledger.getConversion('acct-1', 'ER-1', 'primary'))!.customer).toEqual({
    name: null,
    email: null,
    emailHash: null,
  });
});

test('an erasure that loses a race to a consumer re-reads and erases what the consumer wrote', async () => {
  const { ledger, record, erase } = setup();
  await record(ipn('20.00'));
  ledger.beforeConversionWrite = () => {
    ledger.beforeConversionWrite = null;
    // A correction lands between the erasure's read and its write.
    const current = ledger.conversions.get('acct-1|ER-1|primary')!;
    ledger.conversions.set('acct-1|ER-1|primary', {
      ...current,
      commissionCents: 1800,
      version: current.version + 1,
      updatedAt: '2026-11-25T10:00:00.500Z',
    });
  };
  expect(await erase()).toMatchObject({ conversions: 1 });
  const conversion = (await ledger.getConversion('acct-1', 'ER-1', 'primary'))!;
  expect(conversion).toMatchObject({
    commissionCents: 1800,
    version: 2,
    customer: { name: null, email: null, emailHash: null },
    erasedAt: expect.any(String),
  });
});
