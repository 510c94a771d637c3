import { catalogForOneBatch } from '../../../functions/use-cases/catalog-per-batch';

describe('the codename lookups of one batch', () => {
  test('one read per account and codename (whatever its case), shared by concurrent records; other accounts read their own', async () => {
    let reads = 0;
    const catalog = catalogForOneBatch({
      findProductByCodename: async (accountId, codename) => (
        reads++,
        { productId: `${accountId}:${codename}`, merchantId: 'm' }
      ),
    });
    const answers = await Promise.all([
      catalog.findProductByCodename('a', 'Keto1'),
      catalog.findProductByCodename('a', 'keto1'),
      catalog.findProductByCodename('b', 'keto1'),
    ]);
    expect(reads).toBe(2);
    expect(answers[0]).toBe(answers[1]);
    expect(answers[2]).toEqual({ productId: 'b:keto1', merchantId: 'm' });
  });

  test('a failed read is retried by the next caller, not served from the cache', async () => {
    let calls = 0;
    const catalog = catalogForOneBatch({
      findProductByCodename: async () => {
        calls++;
        if (calls === 1) throw new Error('throttled');
        return null;
      },
    });
    await expect(catalog.findProductByCodename('a', 'x')).rejects.toThrow('throttled');
    await expect(catalog.findProductByCodename('a', 'x')).resolves.toBeNull();
    expect(calls).toBe(2);
  });
});
