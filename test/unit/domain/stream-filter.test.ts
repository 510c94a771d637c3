import { MERCHANT_STREAM_FILTER, TRAFFIC_STREAM_FILTER } from '../../../lib/resources';
import { matchesFilter } from '../../../local/dynamodb-stream-source';

const record = (eventName: string, image: Record<string, { S: string }>) => ({
  eventName,
  dynamodb: { NewImage: image },
});

describe('the merchant stream filter', () => {
  test.each([
    [
      'a new Buygoods merchant',
      record('INSERT', { entity: { S: 'merchant' }, paymentGateway: { S: 'buygoods' } }),
      true,
    ],
    [
      'a changed Buygoods merchant',
      record('MODIFY', { entity: { S: 'merchant' }, paymentGateway: { S: 'buygoods' } }),
      true,
    ],
    [
      'a removed merchant',
      record('REMOVE', { entity: { S: 'merchant' }, paymentGateway: { S: 'buygoods' } }),
      false,
    ],
    [
      'a merchant on another gateway',
      record('INSERT', { entity: { S: 'merchant' }, paymentGateway: { S: 'stripe' } }),
      false,
    ],
    ['a product', record('INSERT', { entity: { S: 'product' } }), false],
    ['a conversion', record('INSERT', { entity: { S: 'conversion' } }), false],
  ])('%s: %s', (_name, candidate, expected) => {
    expect(matchesFilter(MERCHANT_STREAM_FILTER, candidate)).toBe(expected);
  });
});

describe('the traffic stream filter', () => {
  const image = (fields: Record<string, unknown>) => ({
    eventName: 'INSERT',
    dynamodb: { NewImage: fields },
  });
  test.each([
    ['a new click', image({ entity: { S: 'click' } }), true],
    ['a new pixel hit', image({ entity: { S: 'pixel_hit' } }), true],
    [
      'a click written already counted (the seed)',
      image({ entity: { S: 'click' }, counted: { BOOL: true } }),
      false,
    ],
    [
      'a click marked counted later (a MODIFY)',
      { eventName: 'MODIFY', dynamodb: { NewImage: { entity: { S: 'click' }, counted: { BOOL: true } } } },
      false,
    ],
    ['a conversion', image({ entity: { S: 'conversion' } }), false],
  ])('%s: %s', (_name, candidate, expected) => {
    expect(matchesFilter(TRAFFIC_STREAM_FILTER, candidate)).toBe(expected);
  });

  test('an exists rule names the leaf: a present leaf fails exists false, an absent branch passes it', () => {
    expect(matchesFilter({ a: { B: [{ exists: false }] } }, {})).toBe(true);
    expect(matchesFilter({ a: { B: [{ exists: false }] } }, { a: { B: 1 } })).toBe(false);
    expect(matchesFilter({ a: { B: [{ exists: true }] } }, { a: { B: 1 } })).toBe(true);
    expect(matchesFilter({ a: { B: [{ exists: true }] } }, {})).toBe(false);
    expect(matchesFilter({ a: { B: ['x'] } }, {})).toBe(false);
  });
});
