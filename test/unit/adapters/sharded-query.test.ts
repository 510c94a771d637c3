import fc from 'fast-check';
import { compareAsDynamo } from '../../../functions/adapters/sharded-query';

const sign = (n: number) => Math.sign(n);

describe('the shard merge orders sort keys as DynamoDB does', () => {
  it('compares by UTF-8 bytes, for any strings (astral characters included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(sign(compareAsDynamo(a, b))).toBe(sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
      { numRuns: 2000 },
    );
  });

  it('puts upper case before lower case and U+FFFF before an astral character, unlike localeCompare and <', () => {
    expect(compareAsDynamo('B', 'a')).toBeLessThan(0);
    expect('B'.localeCompare('a')).toBeGreaterThan(0);
    expect(compareAsDynamo('\uffff', '😀')).toBeLessThan(0);
    expect('\uffff' < '😀').toBe(false);
    expect(compareAsDynamo('2026-12-01T00:00:00.000Z#pb_1', '2026-12-01T00:00:00.000Z#pb_1')).toBe(0);
    expect(compareAsDynamo('ab', 'abc')).toBeLessThan(0);
  });
});
