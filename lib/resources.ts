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
 * hot partition (see functions/domain/shards.ts).
 */
export const LEDGER_TABLE: TableDefinition = {
  id: 'LedgerTable',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
    },
    // Sparse: only the rarer states carry it (postbacks whose outcome is not accepted, conversions that are
    // not purchases), so a filtered page reads what it returns and the common writes pay nothing for it.
    {
      indexName: 'gsi2',
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
    },
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

/** The replay worker's Lambda timeout: a page (one listing, ten batch sends and checkpoints) takes a second or two. */
export const REPLAY_WORKER_TIMEOUT_SECONDS = 60;

/**
 * The job queue of bulk replays: each message is one page of one job. One message per invocation, so a
 * failure retries one page; after maxReceiveCount the job is marked failed and the message dead-lettered.
 */
export const REPLAY_JOB_QUEUE = {
  id: 'ReplayJobQueue',
  visibilityTimeoutSeconds: REPLAY_WORKER_TIMEOUT_SECONDS * 6,
  retentionDays: 4,
  maxReceiveCount: 5,
  batchSize: 1,
  deadLetter: { id: 'ReplayJobDeadLetterQueue', retentionDays: 14 },
} as const;

/** Environment variable names, one place for the stacks, the handlers and the local runner. */
export const ENV = {
  ledgerTable: 'LEDGER_TABLE_NAME',
  postbackQueue: 'POSTBACK_QUEUE_URL',
  tokenSecretArn: 'TOKEN_SECRET_ARN',
  /** Local mode only: the token secret itself (in AWS it is read from Secrets Manager). */
  tokenSecret: 'TOKEN_SECRET',
  postbackLogRetentionDays: 'POSTBACK_LOG_RETENTION_DAYS',
  replayJobQueue: 'REPLAY_JOB_QUEUE_URL',
  /** The stage's Cognito user pool (members are invited into it); `local` in local mode. */
  userPoolId: 'USER_POOL_ID',
} as const;

/** Entry files of the Lambda functions, relative to the repository root. */
export const FUNCTION_ENTRIES = {
  ingest: 'functions/entries/ingest.ts',
  consumer: 'functions/entries/consumer.ts',
  management: 'functions/entries/management.ts',
  /** Merchant activation: merchants and products (management routes of their own). */
  merchants: 'functions/entries/merchants.ts',
  /** Public click redirect and pixel endpoints. */
  tracking: 'functions/entries/tracking.ts',
  /** DynamoDB stream consumer: creates the pixels of Buygoods merchants. */
  pixelCreator: 'functions/entries/pixel-creator.ts',
  /** Bulk replay jobs: one page of a job per job-queue message. */
  replayWorker: 'functions/entries/replay-worker.ts',
  /** DynamoDB stream consumer: counts new clicks and pixel hits into the report aggregates. */
  aggregator: 'functions/entries/aggregator.ts',
} as const;

export type FunctionName = keyof typeof FUNCTION_ENTRIES;

export interface HttpRouteDefinition {
  readonly function: FunctionName;
  readonly methods: readonly ('GET' | 'POST' | 'PUT' | 'DELETE' | 'ANY')[];
  /** API Gateway route syntax; specific routes win over the greedy `{proxy+}` one, here and in AWS. */
  readonly path: string;
  /**
   * 'none': public (a postback token or a public id is the only key). 'management': a Cognito access token
   * (API Gateway's JWT authorizer) on the API, SigV4 (IAM) on the operator API; the function then decides
   * the account and role (functions/domain/access.ts).
   */
  readonly auth: 'none' | 'management';
}

/** Every HTTP route, for the CDK stack and the local API alike (most specific first). */
export const HTTP_ROUTES: readonly HttpRouteDefinition[] = [
  {
    function: 'ingest',
    methods: ['GET', 'POST'],
    path: '/v1/postbacks/buygoods/{token}/{channel}',
    auth: 'none',
  },
  { function: 'tracking', methods: ['GET'], path: '/v1/click/{linkId}', auth: 'none' },
  { function: 'tracking', methods: ['GET'], path: '/v1/pixel/{pixelId}', auth: 'none' },
  {
    function: 'merchants',
    methods: ['GET', 'PUT'],
    path: '/v1/accounts/{accountId}/merchants/{merchantId}',
    auth: 'management',
  },
  {
    function: 'merchants',
    methods: ['GET', 'PUT'],
    path: '/v1/accounts/{accountId}/products/{productId}',
    auth: 'management',
  },
  { function: 'management', methods: ['ANY'], path: '/v1/accounts/{proxy+}', auth: 'management' },
];

/**
 * Lambda event filter of the pixel creator on the table stream: only inserts and changes of merchants
 * whose payment gateway is Buygoods reach it (the local runner applies the same pattern).
 */
export const MERCHANT_STREAM_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { entity: { S: ['merchant'] }, paymentGateway: { S: ['buygoods'] } } },
} as const;

export const PIXEL_CREATOR_STREAM = {
  batchSize: 25,
  maxBatchingWindowSeconds: 0,
  retryAttempts: 10,
} as const;

/**
 * Lambda event filter of the aggregator on the table stream: only new clicks and pixel hits (the
 * consumer keeps the aggregates of conversions itself, in the transaction of each order's change), and
 * not those written already counted (the seed adds their contribution itself).
 */
export const TRAFFIC_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entity: { S: ['click', 'pixel_hit'] }, counted: { BOOL: [{ exists: false }] } } },
} as const;

/** Large batches: one transaction counts up to ~50 clicks, so the write cost of a click stays near its mark. */
export const AGGREGATOR_STREAM = { batchSize: 200, maxBatchingWindowSeconds: 1, retryAttempts: 10 } as const;

/**
 * Where Lambda sends a record of a table-stream batch that still failed after its retries (shard and
 * sequence numbers, not the items): a dead-letter queue the operator reads; see docs/RUNBOOK.md.
 */
export const STREAM_FAILURE_QUEUE = { id: 'StreamFailureDeadLetterQueue', retentionDays: 14 } as const;
