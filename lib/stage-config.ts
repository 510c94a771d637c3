/**
 * Per-stage settings of the deployment: what differs between dev, staging and prod, and nothing else.
 * Chosen with `cdk synth -c stage=<name>`; an unknown name fails loudly instead of deploying defaults.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const STAGE_NAMES = ['dev', 'staging', 'prod'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export interface StageConfig {
  readonly stageName: StageName;
  /** PascalCase form used in stack names: BuygoodsPostbacks-<Stage>-Stateful. */
  readonly stackLabel: string;
  /** Applies to the stateful resources (table, queues, secret) and the log groups. */
  readonly removalPolicy: RemovalPolicy;
  readonly pointInTimeRecovery: boolean;
  /** Table deletion protection, and CloudFormation termination protection of the stateful stack. */
  readonly deletionProtection: boolean;
  readonly logRetention: RetentionDays;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** How long postback log items live before DynamoDB TTL removes them (read by the functions). */
  readonly postbackLogRetentionDays: number;
  /** Stage-wide default route throttling; postback routes are the ones exposed to the internet. */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
}

export const STAGES: Readonly<Record<StageName, StageConfig>> = {
  dev: {
    stageName: 'dev',
    stackLabel: 'Dev',
    removalPolicy: RemovalPolicy.DESTROY,
    pointInTimeRecovery: false,
    deletionProtection: false,
    logRetention: RetentionDays.ONE_WEEK,
    logLevel: 'DEBUG',
    postbackLogRetentionDays: 7,
    throttling: { rateLimit: 20, burstLimit: 40 },
  },
  // Staging mirrors prod's data protection so restores can be rehearsed, but can still be torn down.
  staging: {
    stageName: 'staging',
    stackLabel: 'Staging',
    removalPolicy: RemovalPolicy.DESTROY,
    pointInTimeRecovery: true,
    deletionProtection: false,
    logRetention: RetentionDays.ONE_MONTH,
    logLevel: 'INFO',
    postbackLogRetentionDays: 30,
    throttling: { rateLimit: 50, burstLimit: 100 },
  },
  // Buygoods re-sends a throttled (429) postback for up to three days, so limits cap cost without losing data.
  prod: {
    stageName: 'prod',
    stackLabel: 'Prod',
    removalPolicy: RemovalPolicy.RETAIN,
    pointInTimeRecovery: true,
    deletionProtection: true,
    logRetention: RetentionDays.THREE_MONTHS,
    logLevel: 'INFO',
    postbackLogRetentionDays: 90,
    throttling: { rateLimit: 200, burstLimit: 400 },
  },
};

export function getStageConfig(stage: unknown): StageConfig {
  if (typeof stage === 'string' && (STAGE_NAMES as readonly string[]).includes(stage)) {
    return STAGES[stage as StageName];
  }
  throw new Error(`Unknown stage ${JSON.stringify(stage)}: pass -c stage=${STAGE_NAMES.join('|')}`);
}
