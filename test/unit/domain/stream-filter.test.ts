import { MERCHANT_STREAM_FILTER } from '../../../lib/resources';
import { matchesFilter } from '../../../local/dynamodb-stream-source';

const record = (eventName: string, image: Record<string, { S: string }>) => ({ eventName, dynamodb: { NewImage: image } });

describe('the merchant stream filter', () => {
  test.each([
    ['a new Buygoods merchant', record('INSERT', { entity: { S: 'merchant' }, paymentGateway: { S: 'buygoods' } }), true],
    ['a changed Buygoods merchant', record('MODIFY', { entity: { S: 'merchant' }, paymentGateway: { S: 'buygoods' } }), true],
    ['a removed merchant', record('REMOVE', { entity: { S: 'merchant' }, paymentGateway: { S: 'buygoods' } }), false],
    ['a merchant on another gateway', record('INSERT', { entity: { S: 'merchant' }, paymentGateway: { S: 'stripe' } }), false],
    ['a product', record('INSERT', { entity: { S: 'product' } }), false],
    ['a conversion', record('INSERT', { entity: { S: 'conversion' } }), false],
  ])('%s: %s', (_name, candidate, expected) => {
    expect(matchesFilter(MERCHANT_STREAM_FILTER, candidate)).toBe(expected);
  });
});
