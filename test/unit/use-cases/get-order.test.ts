import { getOrder } from '../../../functions/use-cases/get-order';
import { commissionEvent, conversion } from '../../contracts/records';
import { InMemoryLedger } from '../../support/fakes';

async function ledgerWith(...records: ReturnType<typeof conversion>[]) {
  const ledger = new InMemoryLedger();
  for (const record of records) await ledger.putConversion(record, null);
  return ledger;
}

describe('reading an order', () => {
  test('an order nothing was recorded for is a not-found, also when another account has it', async () => {
    const ledger = await ledgerWith(conversion('other', 'A1'));
    await expect(getOrder({ ledger }, 'acme', 'A1')).rejects.toMatchObject({
      status: 404,
      message: 'No postback has been recorded for this order',
    });
  });

  test('its conversions, status and commission, refunds taken off', async () => {
    const ledger = await ledgerWith(
      conversion('acme', 'A1', { commissionCents: 4790 }),
      conversion('acme', 'A1', { kind: 'refund', commissionCents: 4790 }),
    );
    const order = await getOrder({ ledger }, 'acme', 'A1');
    expect(order).toMatchObject({ orderId: 'A1', status: 'refunded', netCommissionCents: 0 });
    expect(order.conversions.map((c) => c.kind)).toEqual(['purchase', 'refund']);
  });

  test('an order known only from a commission void is found', async () => {
    const ledger = new InMemoryLedger();
    await ledger.putCommissionEvent(commissionEvent('acme', 'A1', 'fp-1'));
    const order = await getOrder({ ledger }, 'acme', 'A1');
    expect(order.conversions).toEqual([]);
    expect(order.commissionEvents).toHaveLength(1);
  });

  test('an upsell is linked to the purchase its upsell_parent names', async () => {
    const ledger = await ledgerWith(
      conversion('acme', 'FRONT'),
      conversion('acme', 'UP', { kind: 'upsell', parentOrderId: 'FRONT' }),
    );
    const [upsell] = (await getOrder({ ledger }, 'acme', 'UP')).conversions;
    expect(upsell!.linkedConversionId).toBe('cv_FRONT_primary');
  });

  test('else to the purchase that shares its order_id_global', async () => {
    const ledger = await ledgerWith(
      conversion('acme', 'FRONT'),
      conversion('acme', 'UP', { kind: 'upsell', orderIdGlobal: 'G-1' }),
    );
    await ledger.linkGlobalOrder('acme', 'G-1', 'FRONT');
    const [upsell] = (await getOrder({ ledger }, 'acme', 'UP')).conversions;
    expect(upsell!.linkedConversionId).toBe('cv_FRONT_primary');
  });

  test.each([
    ['a parent not recorded (yet)', { parentOrderId: 'LATER' }],
    ['itself as parent', { parentOrderId: 'UP' }],
    ['a global id of its own order', { orderIdGlobal: 'G-UP' }],
    ['a global id nothing is linked to', { orderIdGlobal: 'G-NONE' }],
  ])('an upsell naming %s is linked to nothing', async (_case, overrides) => {
    const ledger = await ledgerWith(conversion('acme', 'UP', { kind: 'upsell', ...overrides }));
    await ledger.linkGlobalOrder('acme', 'G-UP', 'UP');
    const [upsell] = (await getOrder({ ledger }, 'acme', 'UP')).conversions;
    expect(upsell!.linkedConversionId).toBeNull();
  });

  test('a parent in another account is never linked', async () => {
    const ledger = await ledgerWith(
      conversion('other', 'FRONT'),
      conversion('acme', 'UP', { kind: 'upsell', parentOrderId: 'FRONT' }),
    );
    const [upsell] = (await getOrder({ ledger }, 'acme', 'UP')).conversions;
    expect(upsell!.linkedConversionId).toBeNull();
  });
});
