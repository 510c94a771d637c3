/**
 * Per-stage settings of the deployment: what differs between dev, staging and prod, and nothing else.
 * Chosen with `cdk synth -c stage=<name>`; an unknown name fails loudly instead of deploying defaults.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { FunctionName } from './resources';

export const STAGE_NAMES = ['dev', 'staging', 'prod'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** An API Gateway throttle: steady requests per second, and the bucket a burst may draw on. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** Functions that serve public (unauthenticated) routes; each needs a route-level throttle. */
export type PublicFunctionName = Extract<FunctionName, 'ingest' | 'tracking'>;

export interface ThrottlingConfig {
  /** The $default stage's default: every route without a setting of its own (the IAM management routes). */
  readonly stageDefault: Throttle;
  /** Route-level limits of the internet-facing routes, by the function that serves them. */
  readonly publicRoutes: Readonly<Record<PublicFunctionName, Throttle>>;
}

/** When an alarm fires. Each is checked against its metric with "greater than", except the silence alarm. */
export interface AlarmThresholds {
  /** Visible messages in a dead-letter queue (postback DLQ and stream-failure DLQ) above which it fires. */
  readonly deadLetterMessages: number;
  /** Consumer Lambda invocation errors (crashes, timeouts) in 5 minutes above which it fires. */
  readonly consumerErrorsPer5Min: number;
  /** HTTP API 5xx answers in 5 minutes above which it fires (Buygoods retries them, but they are a fault). */
  readonly api5xxPer5Min: number;
  /** Age in seconds of the oldest message waiting in the postback queue above which it fires. */
  readonly oldestMessageAgeSeconds: number;
  /** Hours with no postback enqueued after which the silence alarm fires (1-168: CloudWatch's 7-day range). */
  readonly silenceHours: number;
}

export type EmailAddress = `${string}@${string}`;

/** The stage's Cognito user pool: who may sign in to the console and the management API, and how. */
export interface SignInConfig {
  /** 'required' in prod (TOTP); 'optional' elsewhere, so test users can be set up quickly. */
  readonly mfa: 'required' | 'optional';
  /** Cognito's Plus plan (threat protection enforced: compromised credentials, risky sign-ins) costs per user. */
  readonly featurePlan: 'plus' | 'essentials';
  /** Lifetime of access tokens: also how long a removed operator keeps operator rights at worst. */
  readonly accessTokenMinutes: number;
  readonly refreshTokenDays: number;
  /** Extra URLs the hosted sign-in may send the console back to (besides the stage's own console URL). */
  readonly extraConsoleUrls: readonly string[];
}

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
  /**
   * Active X-Ray tracing of every function. Where it is off, the bundles hold no X-Ray SDK at all (its
   * async hooks cost CPU on every await even with tracing off) and the roles no X-Ray permissions; the
   * structured logs (postbackId, accountId, outcome, lagMs per postback) and the dashboard remain.
   */
  readonly tracing: boolean;
  /**
   * The handlers' EMF custom metrics (counts by outcome and kind, rejects by reason, lag...). Each distinct
   * metric name and dimension values is billed by the month; the alarms and the dashboard use none of
   * them (they read AWS's own metrics and the structured log lines), so where they are off nothing that
   * alerts or is shown is lost, only their 15-month history.
   */
  readonly customMetrics: boolean;
  /** How long postback log items live before DynamoDB TTL removes them (read by the functions). */
  readonly postbackLogRetentionDays: number;
  readonly throttling: ThrottlingConfig;
  readonly alarms: AlarmThresholds;
  /** Who gets alarm notifications by email (each address must confirm the SNS subscription once). */
  readonly alarmEmails: readonly EmailAddress[];
  /**
   * An existing SNS topic the alarms notify instead of one of the stack's own (e.g. the team's paging
   * topic); its policy must let CloudWatch publish. Null: the stack creates its topic.
   */
  readonly alarmTopicArn: string | null;
  /** A synth with neither an address nor a topic fails: alarms that reach nobody are no alarms. */
  readonly requireAlarmSubscribers: boolean;
  readonly signIn: SignInConfig;
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
    tracing: true,
    customMetrics: true,
    postbackLogRetentionDays: 7,
    throttling: {
      stageDefault: { rateLimit: 10, burstLimit: 20 },
      publicRoutes: {
        ingest: { rateLimit: 20, burstLimit: 40 },
        tracking: { rateLimit: 20, burstLimit: 40 },
      },
    },
    alarms: {
      deadLetterMessages: 0,
      consumerErrorsPer5Min: 10,
      api5xxPer5Min: 20,
      oldestMessageAgeSeconds: 1800,
      silenceHours: 72,
    },
    alarmEmails: [],
    alarmTopicArn: null,
    requireAlarmSubscribers: false,
    // The console served by `npm start` may sign in against dev's pool too.
    signIn: {
      mfa: 'optional',
      featurePlan: 'essentials',
      accessTokenMinutes: 60,
      refreshTokenDays: 30,
      extraConsoleUrls: ['http://localhost:3000/console/'],
    },
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
    tracing: true,
    customMetrics: true,
    postbackLogRetentionDays: 30,
    throttling: {
      stageDefault: { rateLimit: 20, burstLimit: 40 },
      publicRoutes: {
        ingest: { rateLimit: 50, burstLimit: 100 },
        tracking: { rateLimit: 50, burstLimit: 100 },
      },
    },
    alarms: {
      deadLetterMessages: 0,
      consumerErrorsPer5Min: 5,
      api5xxPer5Min: 10,
      oldestMessageAgeSeconds: 900,
      silenceHours: 24,
    },
    alarmEmails: [],
    alarmTopicArn: null,
    requireAlarmSubscribers: false,
    signIn: {
      mfa: 'optional',
      featurePlan: 'essentials',
      accessTokenMinutes: 60,
      refreshTokenDays: 30,
      extraConsoleUrls: [],
    },
  },
  // Route limits cap cost and abuse well above Buygoods' steady rate: a throttled postback gets a 429, and
  // whether Buygoods retries that is not documented (it does retry 503s), so they must rarely bite. Clicks
  // and pixel hits come from shoppers' browsers, burstier than postbacks, and are never retried.
  prod: {
    stageName: 'prod',
    stackLabel: 'Prod',
    removalPolicy: RemovalPolicy.RETAIN,
    pointInTimeRecovery: true,
    deletionProtection: true,
    logRetention: RetentionDays.THREE_MONTHS,
    logLevel: 'INFO',
    // Off: the X-Ray SDK's cost (ingest cold import, CPU per postback, traces) is paid on every postback
    // for traces rarely read; staging traces the same code, and switching prod on is this line.
    tracing: false,
    // Off: about 20 to 40 metrics at $0.30 a month each would be most of a small account's fixed bill
    // (see README, Performance); the dashboard's log widgets and saved queries answer the same questions.
    customMetrics: false,
    postbackLogRetentionDays: 90,
    throttling: {
      stageDefault: { rateLimit: 50, burstLimit: 100 },
      publicRoutes: {
        ingest: { rateLimit: 200, burstLimit: 400 },
        tracking: { rateLimit: 500, burstLimit: 1000 },
      },
    },
    // A message is retried for up to 5 visibility timeouts (15 minutes) before the DLQ; 10 minutes of age
    // means the consumer is stuck or failing, not merely busy.
    alarms: {
      deadLetterMessages: 0,
      consumerErrorsPer5Min: 2,
      api5xxPer5Min: 5,
      oldestMessageAgeSeconds: 600,
      silenceHours: 6,
    },
    // No address is committed here: each deploy names its subscribers (-c alarmEmails=... or -c alarmTopicArn=...).
    alarmEmails: [],
    alarmTopicArn: null,
    requireAlarmSubscribers: true,
    // Shorter tokens in prod: a removed operator or a stolen token stops working within 15 minutes.
    signIn: {
      mfa: 'required',
      featurePlan: 'plus',
      accessTokenMinutes: 15,
      refreshTokenDays: 7,
      extraConsoleUrls: [],
    },
  },
};

/** The CloudFormation stack names of a stage (the redrive script finds the queues through the first one's outputs). */
export function stackNames(config: Pick<StageConfig, 'stackLabel'>): { stateful: string; stateless: string } {
  const prefix = `BuygoodsPostbacks-${config.stackLabel}`;
  return { stateful: `${prefix}-Stateful`, stateless: `${prefix}-Stateless` };
}

/** Who receives a deploy's alarms, as given on the command line: `-c alarmEmails=a@b.example,c@d.example`, `-c alarmTopicArn=arn:...`. */
export interface AlarmSubscriberContext {
  readonly alarmEmails?: unknown;
  readonly alarmTopicArn?: unknown;
}

const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

const HOW_TO_SUBSCRIBE =
  'pass -c alarmEmails=ops@yourcompany.example[,oncall@yourcompany.example] (each address confirms its subscription once), ' +
  'or -c alarmTopicArn=arn:aws:sns:REGION:ACCOUNT:TOPIC (an existing topic that lets CloudWatch publish)';

function alarmEmailsOf(value: unknown): EmailAddress[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : String(value).split(',');
  const emails = list.map((entry) => String(entry).trim()).filter(Boolean);
  const invalid = emails.filter((email) => !EMAIL.test(email));
  if (invalid.length > 0)
    throw new Error(
      `alarmEmails: not an e-mail address: ${invalid.map((email) => JSON.stringify(email)).join(', ')}`,
    );
  return emails as EmailAddress[];
}

function alarmTopicArnOf(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !SNS_TOPIC_ARN.test(value.trim()))
    throw new Error(`alarmTopicArn: not an SNS topic ARN: ${JSON.stringify(value)}`);
  return value.trim();
}

export function getStageConfig(stage: unknown, subscribers: AlarmSubscriberContext = {}): StageConfig {
  if (typeof stage === 'string' && (STAGE_NAMES as readonly string[]).includes(stage)) {
    const config = STAGES[stage as StageName];
    const alarmEmails = [...config.alarmEmails, ...alarmEmailsOf(subscribers.alarmEmails)];
    return {
      ...config,
      alarmEmails,
      alarmTopicArn: alarmTopicArnOf(subscribers.alarmTopicArn) ?? config.alarmTopicArn,
    };
  }
  throw new Error(`Unknown stage ${JSON.stringify(stage)}: pass -c stage=${STAGE_NAMES.join('|')}`);
}

/** Fails a synth of a stage that requires alarm subscribers when it has none, saying how to give one. */
export function assertAlarmSubscribers(config: StageConfig): void {
  if (!config.requireAlarmSubscribers || config.alarmEmails.length > 0 || config.alarmTopicArn) return;
  throw new Error(`Stage ${config.stageName} needs someone to receive its alarms: ${HOW_TO_SUBSCRIBE}.`);
}
