/**
 * Builds the real dependencies from the environment. Each builder makes new clients when called: a
 * handler's entry file calls its builder once, at module scope (cold start), so a function's clients are
 * built once per container. Tests call the handler factories with their own dependencies.
 */
import type { Clock } from '../ports/clock';
import {
  createCognitoClient,
  createDocumentClient,
  createSecretsManagerClient,
  createSqsClient,
} from './clients';
import { CognitoUserDirectory, LocalUserDirectory } from './cognito-user-directory';
import { DynamoMembershipRepository } from './dynamo-membership-repository';
import { config } from './config';
import { DynamoIntegrationRepository } from './dynamo-integration-repository';
import { DynamoLedgerRepository } from './dynamo-ledger-repository';
import { DynamoAggregateRepository } from './dynamo-aggregate-repository';
import { DynamoCatalogRepository } from './dynamo-catalog-repository';
import { DynamoTrafficRepository } from './dynamo-traffic-repository';
import { DynamoReplayJobRepository } from './dynamo-replay-job-repository';
import { SqsPostbackPublisher } from './sqs-postback-publisher';
import { SqsReplayJobQueue } from './sqs-replay-job-queue';
import { SecretsManagerTokenSecret, StaticTokenSecret } from './token-secret';
import { cryptoRandomSource } from './crypto-random-source';

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export function ingestDependencies() {
  const tableName = config.ledgerTableName();
  return {
    integrations: new DynamoIntegrationRepository(createDocumentClient(), tableName),
    publisher: new SqsPostbackPublisher(createSqsClient(), config.postbackQueueUrl()),
    clock: systemClock,
    random: cryptoRandomSource,
  };
}

export function recordDependencies() {
  const documents = createDocumentClient();
  const tableName = config.ledgerTableName();
  return {
    ledger: ledgerRepository(),
    catalog: new DynamoCatalogRepository(documents, tableName),
    traffic: new DynamoTrafficRepository(documents, tableName),
    aggregates: new DynamoAggregateRepository(documents, tableName),
    clock: systemClock,
    random: cryptoRandomSource,
  };
}

/** The aggregator: counts new traffic and refreshes the orders waiting for a click. */
export function aggregateDependencies() {
  const documents = createDocumentClient();
  const tableName = config.ledgerTableName();
  return {
    aggregates: new DynamoAggregateRepository(documents, tableName),
    traffic: new DynamoTrafficRepository(documents, tableName),
  };
}

export function ledgerRepository() {
  return new DynamoLedgerRepository(createDocumentClient(), config.ledgerTableName(), {
    postbackLogRetentionDays: config.postbackLogRetentionDays(),
  });
}

function tokenSecretSource() {
  const local = config.localTokenSecret();
  return local
    ? new StaticTokenSecret(local)
    : new SecretsManagerTokenSecret(createSecretsManagerClient(), config.tokenSecretArn());
}

/** The membership read of the access check (every management function makes it). */
export function membershipRepository() {
  return new DynamoMembershipRepository(createDocumentClient(), config.ledgerTableName());
}

/** Invitations go to the stage's user pool; in local mode (`local`) to the in-process stand-in. */
function userDirectory() {
  const userPoolId = config.userPoolId();
  return userPoolId === 'local'
    ? new LocalUserDirectory()
    : new CognitoUserDirectory(createCognitoClient(), userPoolId);
}

export function managementDependencies() {
  const documents = createDocumentClient();
  const tableName = config.ledgerTableName();
  const ledger = ledgerRepository();
  const sqs = createSqsClient();
  return {
    memberships: new DynamoMembershipRepository(documents, tableName),
    users: userDirectory(),
    integrations: new DynamoIntegrationRepository(documents, tableName),
    ledger,
    catalog: new DynamoCatalogRepository(documents, tableName),
    traffic: new DynamoTrafficRepository(documents, tableName),
    aggregates: new DynamoAggregateRepository(documents, tableName),
    publisher: new SqsPostbackPublisher(sqs, config.postbackQueueUrl()),
    tokenSecret: tokenSecretSource(),
    clock: systemClock,
    random: cryptoRandomSource,
    ...replayJobDependencies(ledger, sqs),
  };
}

/** What starts a bulk replay job and follows it (management) and what works on it (the replay worker). */
function replayJobDependencies(ledger: DynamoLedgerRepository, sqs: ReturnType<typeof createSqsClient>) {
  return {
    postbackFinder: ledger,
    replayJobs: new DynamoReplayJobRepository(createDocumentClient(), config.ledgerTableName(), {
      retentionDays: config.postbackLogRetentionDays(),
    }),
    replayJobQueue: new SqsReplayJobQueue(sqs, config.replayJobQueueUrl()),
  };
}

export function replayWorkerDependencies() {
  const sqs = createSqsClient();
  return {
    ...replayJobDependencies(ledgerRepository(), sqs),
    batchPublisher: new SqsPostbackPublisher(sqs, config.postbackQueueUrl()),
    clock: systemClock,
  };
}

/** Merchants, products, tracking and the pixel creator: the catalog and the traffic, nothing else. */
export function catalogDependencies() {
  const documents = createDocumentClient();
  const tableName = config.ledgerTableName();
  return {
    catalog: new DynamoCatalogRepository(documents, tableName),
    traffic: new DynamoTrafficRepository(documents, tableName),
    clock: systemClock,
    random: cryptoRandomSource,
  };
}
