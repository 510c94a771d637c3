/** The CustomerIndex contract (functions/ports/customer-index.ts): against the fake and the DynamoDB adapter. */
import type { ConversionSlot } from '../../functions/domain/conversion';
import type { CustomerIndex } from '../../functions/ports/customer-index';
import { freshAccount } from './records';

type Entry = { orderId: string; slot: ConversionSlot };
const sorted = (entries: readonly Entry[]) =>
  [...entries].sort((a, b) => `${a.orderId}|${a.slot}`.localeCompare(`${b.orderId}|${b.slot}`));

export function describeCustomerIndexContract(
  name: string,
  makeIndex: () => CustomerIndex | Promise<CustomerIndex>,
): void {
  describe(`CustomerIndex contract: ${name}`, () => {
    let index: CustomerIndex;
    let account: string;
    beforeEach(async () => {
      index = await makeIndex();
      account = freshAccount('cust');
    });

    test("a customer's conversions are found, each once however often indexed, and no other customer's", async () => {
      expect(await index.findCustomerConversions(account, 'hash-a')).toEqual([]);
      const entries: Entry[] = [
        { orderId: 'o-1', slot: 'primary' },
        { orderId: 'o-1', slot: 'refund' },
        { orderId: 'o-2', slot: 'primary' },
      ];
      for (const entry of [...entries, entries[0]!])
        await index.indexCustomer(account, 'hash-a', entry.orderId, entry.slot);
      await index.indexCustomer(account, 'hash-b', 'o-3', 'primary');
      await index.indexCustomer(freshAccount(), 'hash-a', 'o-4', 'primary');
      expect(sorted(await index.findCustomerConversions(account, 'hash-a'))).toEqual(sorted(entries));
      expect(await index.findCustomerConversions(account, 'hash-b')).toEqual([
        { orderId: 'o-3', slot: 'primary' },
      ]);
    });

    test("removing a customer's index removes all of it and nothing of anyone else's", async () => {
      const other = freshAccount();
      await index.indexCustomer(account, 'hash-a', 'o-1', 'primary');
      await index.indexCustomer(account, 'hash-a', 'o-2', 'primary');
      await index.indexCustomer(account, 'hash-b', 'o-3', 'primary');
      await index.indexCustomer(other, 'hash-a', 'o-4', 'primary');
      await index.removeCustomerIndex(account, 'hash-a');
      expect(await index.findCustomerConversions(account, 'hash-a')).toEqual([]);
      expect(await index.findCustomerConversions(account, 'hash-b')).toEqual([
        { orderId: 'o-3', slot: 'primary' },
      ]);
      expect(await index.findCustomerConversions(other, 'hash-a')).toEqual([
        { orderId: 'o-4', slot: 'primary' },
      ]);
      await index.removeCustomerIndex(account, 'hash-never');
    });
  });
}
