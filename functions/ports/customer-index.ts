import type { ConversionSlot } from '../domain/conversion';

/** Which conversions carry a customer (by email hash), so an erasure request can find them. */
export interface CustomerIndex {
  indexCustomer(accountId: string, emailHash: string, orderId: string, slot: ConversionSlot): Promise<void>;
  findCustomerConversions(
    accountId: string,
    emailHash: string,
  ): Promise<Array<{ orderId: string; slot: ConversionSlot }>>;
  removeCustomerIndex(accountId: string, emailHash: string): Promise<void>;
}
