import { readAmountCents } from '../../../functions/domain/amount';

describe('readAmountCents', () => {
  it.each([
    ['47.90', 4790],
    ['47.9', 4790],
    ['47', 4700],
    ['0', 0],
    ['0.01', 1],
    ['.5', 50],
    ['47.', 4700],
    ['$47.90', 4790],
    ['$ 47.90', 4790],
    [' 47.90 ', 4790],
    ['47,90', 4790],
    ['1,234.56', 123456],
    ['1,234', 123400],
    ['1,234,567.89', 123456789],
    ['1.234,56', 123456],
    ['1.234.567,89', 123456789],
    ['1 234,56', 123456],
    ['1\u00a0234,56', 123456],
    ['USD 47.90', 4790],
    ['usd47.90', 4790],
    ['47.90 EUR', 4790],
    ['EUR 47,90', 4790],
    ['USD $47.90', 4790],
    ['-47.90', -4790],
    ['-$47.90', -4790],
    ['$-47.90', -4790],
    ['USD -47.90', -4790],
    ['+47.90', 4790],
    ['-0.00', 0],
    ['0047.90', 4790],
    ['47.904', 4790],
    ['47.905', 4791],
    ['47.999', 4800],
    ['-47.905', -4791],
    ['0.285', 29],
    ['1.005', 101],
    ['90071992547409.91', 9007199254740991],
  ])('reads %p as %p cents', (raw, cents) => {
    expect(readAmountCents(raw)).toEqual({ value: cents, issues: [] });
  });

  it('returns 0 rather than negative zero for a signed zero', () => {
    expect(Object.is(readAmountCents('-0').value, 0)).toBe(true);
  });

  it.each([['{COMMISSION_AMOUNT}'], ['%7BCOMMISSION_AMOUNT%7D'], [''], ['  '], ['null'], ['REPLACE']])(
    'flags the placeholder %p as amount_placeholder with no amount',
    (raw) => {
      expect(readAmountCents(raw)).toEqual({ value: null, issues: ['amount_placeholder'] });
    },
  );

  it.each([
    ['abc'],
    ['$'],
    ['.'],
    [','],
    ['USD'],
    ['1e5'],
    ['47.90.1'],
    ['1.234.567'],
    ['47,9'],
    ['12,34,56'],
    ['12.34,56'],
    ['--47'],
    ['-USD-47'],
    ['USD 47 EUR'],
    ['47.9a'],
    ['€47.90'],
    ['90071992547409.92'],
    ['1'.repeat(40)],
  ])('flags %p as amount_unparseable with no amount', (raw) => {
    expect(readAmountCents(raw)).toEqual({ value: null, issues: ['amount_unparseable'] });
  });

  it('gives no amount and no issue when the amount is absent, leaving the judgement to the caller', () => {
    expect(readAmountCents(null)).toEqual({ value: null, issues: [] });
  });
});
