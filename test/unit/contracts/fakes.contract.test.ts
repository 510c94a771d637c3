/**
 * The port contract suites (test/contracts/) against the in-memory fakes the use-case tests run on: the
 * same suites run against the DynamoDB adapters in test/integration/port-contracts.test.ts, so a fake
 * cannot drift from what production runs.
 */
import { describeAggregateRepositoryContract } from '../../contracts/aggregate-repository.contract';
import { describeCatalogRepositoryContract } from '../../contracts/catalog-repository.contract';
import { describeConversionRepositoryContract } from '../../contracts/conversion-repository.contract';
import { describeCustomerIndexContract } from '../../contracts/customer-index.contract';
import { describeIntegrationRepositoryContract } from '../../contracts/integration-repository.contract';
import { describeMembershipRepositoryContract } from '../../contracts/membership-repository.contract';
import { describePostbackFinderContract } from '../../contracts/postback-finder.contract';
import { describePostbackLogContract } from '../../contracts/postback-log.contract';
import { describeReplayJobRepositoryContract } from '../../contracts/replay-job-repository.contract';
import { describeTrafficRepositoryContract } from '../../contracts/traffic-repository.contract';
import {
  InMemoryAggregates,
  InMemoryCatalog,
  InMemoryIntegrations,
  InMemoryLedger,
  InMemoryMemberships,
  InMemoryPostbackFinder,
  InMemoryReplayJobs,
  InMemoryTraffic,
} from '../../support/fakes';

describeConversionRepositoryContract('InMemoryLedger', () => new InMemoryLedger());
describePostbackLogContract('InMemoryLedger', () => new InMemoryLedger());
describeCustomerIndexContract('InMemoryLedger', () => new InMemoryLedger());
describePostbackFinderContract('InMemoryPostbackFinder', () => {
  const log = new InMemoryLedger();
  return { log, finder: new InMemoryPostbackFinder(log) };
});
describeAggregateRepositoryContract('InMemoryAggregates', () => {
  const ledger = new InMemoryLedger();
  const catalog = new InMemoryCatalog();
  const traffic = new InMemoryTraffic(catalog);
  return { aggregates: new InMemoryAggregates(ledger, traffic), ledger, traffic, catalog };
});
describeReplayJobRepositoryContract('InMemoryReplayJobs', () => new InMemoryReplayJobs());
describeIntegrationRepositoryContract('InMemoryIntegrations', () => new InMemoryIntegrations());
describeCatalogRepositoryContract('InMemoryCatalog', () => new InMemoryCatalog());
describeMembershipRepositoryContract('InMemoryMemberships', () => new InMemoryMemberships());
describeTrafficRepositoryContract('InMemoryTraffic', () => {
  const catalog = new InMemoryCatalog();
  return { traffic: new InMemoryTraffic(catalog), catalog };
});
