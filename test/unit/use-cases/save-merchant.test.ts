import { getMerchant, saveMerchant } from '../../../functions/use-cases/save-merchant';
import { FixedClock, InMemoryCatalog } from '../../support/fakes';

function setup() {
  const catalog = new InMemoryCatalog();
  const clock = new FixedClock();
  return { catalog, clock, deps: { catalog, clock } };
}
const body = { name: ' Keto Labs ', paymentGateway: 'buygoods' };

describe('saving a merchant', () => {
  test('a new merchant is stored with its name trimmed, no settings, and both dates now', async () => {
    const { deps, catalog } = setup();
    const result = await saveMerchant(deps, 'acme', 'm1', body);
    const merchant = {
      accountId: 'acme',
      merchantId: 'm1',
      name: 'Keto Labs',
      paymentGateway: 'buygoods',
      settings: {},
      createdAt: '2026-11-25T10:00:00.000Z',
      updatedAt: '2026-11-25T10:00:00.000Z',
    };
    expect(result).toEqual({ merchant, created: true });
    expect(await catalog.getMerchant('acme', 'm1')).toEqual(merchant);
  });

  test('saving it again updates it in place: creation date kept, not created', async () => {
    const { deps, clock } = setup();
    await saveMerchant(deps, 'acme', 'm1', body);
    clock.advance(60_000);
    const result = await saveMerchant(deps, 'acme', 'm1', {
      ...body,
      name: 'Keto Labs EU',
      settings: { vat: true },
    });
    expect(result).toMatchObject({
      created: false,
      merchant: {
        name: 'Keto Labs EU',
        settings: { vat: true },
        createdAt: '2026-11-25T10:00:00.000Z',
        updatedAt: '2026-11-25T10:01:00.000Z',
      },
    });
  });

  test('the same merchant id in another account is another merchant', async () => {
    const { deps } = setup();
    await saveMerchant(deps, 'acme', 'm1', body);
    expect((await saveMerchant(deps, 'other', 'm1', body)).created).toBe(true);
  });

  test.each([
    ['a blank name', { ...body, name: '   ' }, { name: ['is required'] }],
    [
      'another payment gateway',
      { ...body, paymentGateway: 'stripe' },
      { paymentGateway: ['must be "buygoods"'] },
    ],
    [
      'more than 50 settings',
      { ...body, settings: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
      { settings: ['at most 50 settings'] },
    ],
    [
      'a setting that is an object',
      { ...body, settings: { nested: { a: 1 } } },
      { 'settings.nested': expect.any(Array) },
    ],
  ])('%s is refused with its field named, and nothing is stored', async (_case, input, fields) => {
    const { deps, catalog } = setup();
    await expect(saveMerchant(deps, 'acme', 'm1', input)).rejects.toMatchObject({
      status: 422,
      code: 'validation_failed',
      message: 'The merchant is not valid',
      fields,
    });
    expect(catalog.merchants.size).toBe(0);
  });

  test('a body that is not an object is refused as the body', async () => {
    const { deps } = setup();
    await expect(saveMerchant(deps, 'acme', 'm1', 'Keto Labs')).rejects.toMatchObject({
      status: 422,
      fields: { body: expect.any(Array) },
    });
  });
});

describe('reading a merchant', () => {
  test('it is found in its own account only', async () => {
    const { deps } = setup();
    await saveMerchant(deps, 'acme', 'm1', body);
    expect(await getMerchant(deps, 'acme', 'm1')).toMatchObject({ merchantId: 'm1', name: 'Keto Labs' });
    await expect(getMerchant(deps, 'other', 'm1')).rejects.toMatchObject({
      status: 404,
      message: 'No merchant with this id in this account',
    });
  });
});
