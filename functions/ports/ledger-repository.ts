import type { ConversionRepository } from './conversion-repository';
import type { CustomerIndex } from './customer-index';
import type { PostbackLog } from './postback-log';

/**
 * The ledger table as a whole: what the DynamoDB adapter (and the in-memory fake) implement. A use case
 * asks for the narrow port it uses; only those that record or erase across all three take the whole.
 */
export interface LedgerRepository extends ConversionRepository, PostbackLog, CustomerIndex {}
