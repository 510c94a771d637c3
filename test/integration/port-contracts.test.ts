/**
 * The port contract suites (test/contracts/) against the DynamoDB adapters on DynamoDB Local, one fresh
 * table for the file (each test uses its own account ids); the unit project runs the same suites against
 * the in-memory fakes (test/unit/contracts/).
 */
import { DynamoLedgerRepository } from '../../functions/adapters/dynamo-ledger-repository';
import { describeConversionRepositoryContract } from '../contracts/conversion-repository.contract';
import { describeCustomerIndexContract } from '../contracts/customer-index.contract';
import { describePostbackLogContract } from '../contracts/postback-log.contract';
import { createContractTable, type ContractTable } from '../support/contract-table';

let table: ContractTable;
beforeAll(async () => {
  table = await createContractTable('ports');
}, 60_000);
afterAll(async () => {
  await table?.drop();
});

const ledger = () => new DynamoLedgerRepository(table.client, table.tableName, { postbackLogRetentionDays: 30 });

describeConversionRepositoryContract('DynamoLedgerRepository', ledger);
describePostbackLogContract('DynamoLedgerRepository', ledger);
describeCustomerIndexContract('DynamoLedgerRepository', ledger);
