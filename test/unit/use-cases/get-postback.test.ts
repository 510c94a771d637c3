import { getPostback } from '../../../functions/use-cases/get-postback';
import { at, postback } from '../../contracts/records';
import { InMemoryLedger } from '../../support/fakes';

describe('reading a postback', () => {
  test('a processed postback is returned as stored', async () => {
    const ledger = new InMemoryLedger();
    const record = postback('acme', at(1), {
      outcome: 'rejected',
      error: { code: 'order_id_missing', message: 'm' },
    });
    await ledger.putPostback(record);
    expect(await getPostback({ ledger }, 'acme', record.postbackId)).toEqual(record);
  });

  test('an unknown id, or one of another account, is a not-found that says it may still be queued', async () => {
    const ledger = new InMemoryLedger();
    const record = postback('other', at(1));
    await ledger.putPostback(record);
    for (const id of [record.postbackId, 'pb_unknown'])
      await expect(getPostback({ ledger }, 'acme', id)).rejects.toMatchObject({
        status: 404,
        message: 'No processed postback has this id (it may still be in the queue)',
      });
  });
});
