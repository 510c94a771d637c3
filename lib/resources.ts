/**
 * The one definition of the stateful resources and function wiring, shared by the CDK stacks and the
 * local runner so the two can never drift apart. Pure data: no CDK or SDK imports here.
 */

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface TableDefinition {
  readonly id: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly globalSecondaryIndexes: ReadonlyArray<{
    readonly indexName: string;
    readonly partitionKey: KeyAttribute;
    readonly sortKey: KeyAttribute;
  }>;
  readonly timeToLiveAttribute: string;
  readonly stream: 'NEW_AND_OLD_IMAGES';
}

/**
 * Single table. Items are spread by order id, postback id, link id, click id...; time-ordered listings
 * go through gsi1 whose partition keys carry a small write shard so one busy account never makes a
 * hot partition (see functions/domain/keys.ts).
 */
export const LEDGER_TABLE: TableDefinition = {
  id: 'LedgerTable',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: { name: 'gsi1pk', type: 'S' }, sortKey: { name: 'gsi1sk', type: 'S' } },
  ],
  timeToLiveAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
};

/** The consumer's Lambda timeout; the queue's visibility timeout is six times it, as AWS advises. */
export const CONSUMER_TIMEOUT_SECONDS = 30;

export const POSTBACK_QUEUE = {
  id: 'PostbackQueue',
  visibilityTimeoutSeconds: CONSUMER_TIMEOUT_SECONDS * 6,
  retentionDays: 14,
  maxReceiveCount: 5,
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  deadLetter: { id: 'PostbackDeadLetterQueue', retentionDays: 14 },
} as const;

/** Environment variable names, one place for the stacks, the handlers and the local runner. */
export const ENV = {
  ledgerTable: 'LEDGER_TABLE_NAME',
  postbackQueue: 'POSTBACK_QUEUE_URL',
  tokenSecretArn: 'TOKEN_SECRET_ARN',
  /** Local mode only: the token secret itself (in AWS it is read from Secrets Manager). */
  tokenSecret: 'TOKEN_SECRET',
  postbackLogRetentionDays: 'POSTBACK_LOG_RETENTION_DAYS',
} as const;

/** Entry files of the Lambda functions, relative to the repository root. */
export const FUNCTION_ENTRIES = {
  ingest: 'functions/handlers/ingest.ts',
  consumer: 'functions/handlers/consumer.ts',
  management: 'functions/handlers/management.ts',
} as const;
