/**
 * The port contract suites (test/contracts/) against the DynamoDB adapters on DynamoDB Local, one fresh
 * table for the file (each test uses its own account ids); the unit project runs the same suites against
 * the in-memory fakes (test/unit/contracts/).
 */
import { DynamoAggregateRepository } from '../../functions/adapters/dynamo-aggregate-repository';
import { DynamoCatalogRepository } from '../../functions/adapters/dynamo-catalog-repository';
import { DynamoIntegrationRepository } from '../../functions/adapters/dynamo-integration-repository';
import { DynamoLedgerRepository } from '../../functions/adapters/dynamo-ledger-repository';
import { DynamoMembershipRepository } from '../../functions/adapters/dynamo-membership-repository';
import { DynamoReplayJobRepository } from '../../functions/adapters/dynamo-replay-job-repository';
import { DynamoTrafficRepository } from '../../functions/adapters/dynamo-traffic-repository';
import { describeAggregateRepositoryContract } from '../contracts/aggregate-repository.contract';
import { describeCatalogRepositoryContract } from '../contracts/catalog-repository.contract';
import { describeConversionRepositoryContract } from '../contracts/conversion-repository.contract';
import { describeCustomerIndexContract } from '../contracts/customer-index.contract';
import { describeIntegrationRepositoryContract } from '../contracts/integration-repository.contract';
import { describeMembershipRepositoryContract } from '../contracts/membership-repository.contract';
import { describePostbackFinderContract } from '../contracts/postback-finder.contract';
import { describePostbackLogContract } from '../contracts/postback-log.contract';
import { describeReplayJobRepositoryContract } from '../contracts/replay-job-repository.contract';
import { describeTrafficRepositoryContract } from '../contracts/traffic-repository.contract';
import { createContractTable, type ContractTable } from '../support/contract-table';

let table: ContractTable;
beforeAll(async () => {
  table = await createContractTable('ports');
}, 60_000);
afterAll(async () => {
  await table?.drop();
});

const ledger = () =>
  new DynamoLedgerRepository(table.client, table.tableName, { postbackLogRetentionDays: 30 });

describeConversionRepositoryContract('DynamoLedgerRepository', ledger);
describePostbackLogContract('DynamoLedgerRepository', ledger);
describeCustomerIndexContract('DynamoLedgerRepository', ledger);
describePostbackFinderContract('DynamoLedgerRepository', () => {
  const repository = ledger();
  return { log: repository, finder: repository };
});
describeAggregateRepositoryContract('DynamoAggregateRepository', () => ({
  aggregates: new DynamoAggregateRepository(table.client, table.tableName),
  ledger: ledger(),
  traffic: new DynamoTrafficRepository(table.client, table.tableName),
  catalog: new DynamoCatalogRepository(table.client, table.tableName),
}));
describeReplayJobRepositoryContract(
  'DynamoReplayJobRepository',
  () => new DynamoReplayJobRepository(table.client, table.tableName, { retentionDays: 30 }),
);
describeIntegrationRepositoryContract(
  'DynamoIntegrationRepository',
  () => new DynamoIntegrationRepository(table.client, table.tableName),
);
describeCatalogRepositoryContract(
  'DynamoCatalogRepository',
  () => new DynamoCatalogRepository(table.client, table.tableName),
);
describeMembershipRepositoryContract(
  'DynamoMembershipRepository',
  () => new DynamoMembershipRepository(table.client, table.tableName),
);
describeTrafficRepositoryContract('DynamoTrafficRepository', () => ({
  traffic: new DynamoTrafficRepository(table.client, table.tableName),
  catalog: new DynamoCatalogRepository(table.client, table.tableName),
}));

test('DynamoAggregateRepository stores a rolled bucket as one packed attribute, its day-totals item as numbers a whole-days read projects', async () => {
  const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const { keys } = await import('../../functions/adapters/dynamo-keys');
  const { bucketId, trafficContribution, rolledContribution, parseBucketId } =
    await import('../../functions/domain/aggregates');
  const aggregates = new DynamoAggregateRepository(table.client, table.tableName);
  const account = 'packed-rolled';
  const written = {
    ...trafficContribution('clicks', '2026-11-20T00:10:00.000Z', 'l-1', 2),
    ...trafficContribution('pageviews', '2026-11-20T23:50:00.000Z', 'l-1', 5),
  };
  await aggregates.addToBuckets(account, written);
  const unrolled = await aggregates.listUnrolled(account, null, '2026-11-21');
  await aggregates.rollUpBuckets(
    account,
    unrolled.map(({ bucket, version }) => ({ id: bucketId(bucket.ref), version })),
    rolledContribution(unrolled.map((entry) => entry.bucket)),
  );
  const raw = async (ref: Parameters<typeof bucketId>[0]) =>
    (
      await table.client.send(
        new GetCommand({ TableName: table.tableName, Key: keys.aggregateBucket(account, bucketId(ref)) }),
      )
    ).Item!;
  const rolledRef = parseBucketId('R|2026-11-20|l-1');
  const rolled = await raw(rolledRef);
  expect(Object.keys(rolled).sort()).toEqual(['cD', 'entity', 'figs', 'pk', 'sk', 'vD', 'ver']);
  expect((rolled.figs as string).split(';').sort()).toEqual(['c:1', 'v:*95,1']);
  expect(await raw(parseBucketId('D|R|2026-11-20|l-1'))).toMatchObject({ cD: 1, vD: 1 });
  const read = await aggregates.listBuckets(account, '2026-11-20', '2026-11-20');
  expect(read).toEqual([{ ref: rolledRef, attributes: { c0: 1, cD: 1, v95: 1, vD: 1 } }]);
  const whole = await aggregates.listBuckets(account, '2026-11-20', '2026-11-20', [
    { from: '2026-11-20', to: '2026-11-20' },
  ]);
  expect(whole).toEqual([{ ref: parseBucketId('D|R|2026-11-20|l-1'), attributes: { cD: 1, vD: 1 } }]);
});
