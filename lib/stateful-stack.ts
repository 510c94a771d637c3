/**
 * The stateful half of a stage: the ledger table, the postback queue with its dead-letter queue, the
 * stream-failure queue, and the token secret. Kept apart from functions and API so a redeploy of code can
 * never replace data.
 */
import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  type KeyAttribute,
  LEDGER_TABLE,
  POSTBACK_QUEUE,
  REPLAY_JOB_QUEUE,
  STREAM_FAILURE_QUEUE,
} from './resources';
import type { StageConfig } from './stage-config';
import { OPERATORS_GROUP } from '../functions/domain/access';

export interface StatefulStackProps extends StackProps {
  readonly config: StageConfig;
}

const toAttribute = ({ name, type }: KeyAttribute): dynamodb.Attribute => ({
  name,
  type: type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

export class StatefulStack extends Stack {
  readonly table: dynamodb.Table;
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
  /** On-failure destination of the table-stream consumers: one message per batch given up on. */
  readonly streamFailureQueue: sqs.Queue;
  /** Bulk replay jobs, one message per page, and where a page that failed every delivery goes. */
  readonly replayJobQueue: sqs.Queue;
  readonly replayJobDlq: sqs.Queue;
  /** HMAC key from which integration tokens are derived and hashed; only its ARN leaves this stack. */
  readonly secret: secretsmanager.Secret;
  /** The people who sign in to the console and the management API (members are invited, never sign up). */
  readonly userPool: cognito.UserPool;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { terminationProtection: props.config.deletionProtection, ...props });
    const { config } = props;

    this.table = new dynamodb.Table(this, LEDGER_TABLE.id, {
      partitionKey: toAttribute(LEDGER_TABLE.partitionKey),
      sortKey: toAttribute(LEDGER_TABLE.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: LEDGER_TABLE.timeToLiveAttribute,
      stream: dynamodb.StreamViewType[LEDGER_TABLE.stream],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.pointInTimeRecovery },
      deletionProtection: config.deletionProtection,
      removalPolicy: config.removalPolicy,
    });
    for (const gsi of LEDGER_TABLE.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: toAttribute(gsi.partitionKey),
        sortKey: toAttribute(gsi.sortKey),
      });
    }
    if (!config.pointInTimeRecovery) {
      Validations.of(this.table).acknowledge({
        id: 'AwsSolutions-DDB3',
        reason: `Stage ${config.stageName} holds disposable test data; staging and prod enable point-in-time recovery.`,
      });
    }

    // SQS-managed encryption: encrypted at rest without KMS key grants on every producer and consumer.
    const queueDefaults = {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: config.removalPolicy,
    };
    this.dlq = new sqs.Queue(this, POSTBACK_QUEUE.deadLetter.id, {
      ...queueDefaults,
      retentionPeriod: Duration.days(POSTBACK_QUEUE.deadLetter.retentionDays),
    });
    this.queue = new sqs.Queue(this, POSTBACK_QUEUE.id, {
      ...queueDefaults,
      visibilityTimeout: Duration.seconds(POSTBACK_QUEUE.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(POSTBACK_QUEUE.retentionDays),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: POSTBACK_QUEUE.maxReceiveCount },
    });
    this.replayJobDlq = new sqs.Queue(this, REPLAY_JOB_QUEUE.deadLetter.id, {
      ...queueDefaults,
      retentionPeriod: Duration.days(REPLAY_JOB_QUEUE.deadLetter.retentionDays),
    });
    this.replayJobQueue = new sqs.Queue(this, REPLAY_JOB_QUEUE.id, {
      ...queueDefaults,
      visibilityTimeout: Duration.seconds(REPLAY_JOB_QUEUE.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(REPLAY_JOB_QUEUE.retentionDays),
      deadLetterQueue: { queue: this.replayJobDlq, maxReceiveCount: REPLAY_JOB_QUEUE.maxReceiveCount },
    });
    this.streamFailureQueue = new sqs.Queue(this, STREAM_FAILURE_QUEUE.id, {
      ...queueDefaults,
      retentionPeriod: Duration.days(STREAM_FAILURE_QUEUE.retentionDays),
    });
    Validations.of(this.streamFailureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: the on-failure destination of the table-stream event source ' +
        '(Lambda writes it, an operator reads it), which cdk-nag cannot see because no SQS redrive policy names it.',
    });

    this.secret = new secretsmanager.Secret(this, 'TokenSecret', {
      description: `Buygoods postbacks (${config.stageName}): HMAC key deriving and hashing integration tokens`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: config.removalPolicy,
    });
    // Read by `npm run redrive` (scripts/redrive.ts) and by operators; see docs/RUNBOOK.md.
    new CfnOutput(this, 'PostbackQueueUrl', {
      value: this.queue.queueUrl,
      description: 'The postback queue (redrive destination)',
    });
    new CfnOutput(this, 'PostbackQueueArn', {
      value: this.queue.queueArn,
      description: 'The postback queue (redrive destination)',
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: this.dlq.queueUrl,
      description: 'Postbacks that failed maxReceiveCount times',
    });
    new CfnOutput(this, 'DeadLetterQueueArn', {
      value: this.dlq.queueArn,
      description: 'Postbacks that failed maxReceiveCount times',
    });
    new CfnOutput(this, 'StreamFailureQueueUrl', {
      value: this.streamFailureQueue.queueUrl,
      description: 'Table-stream batches the pixel creator gave up on',
    });

    this.userPool = this.addUserPool(config);

    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Every stored token hash is keyed by this secret: rotating it would silently break all live postback URLs. ' +
        'Tokens are rotated per account through the management API instead.',
    });
  }

  /**
   * People live here, so the pool is stateful: it follows the stage's removal policy. No self sign-up
   * (owners invite members through the API, operators are added to the group by an administrator);
   * sign-in by user name or e-mail; MFA and Cognito's threat protection as the stage says.
   */
  private addUserPool(config: StageConfig): cognito.UserPool {
    const plus = config.signIn.featurePlan === 'plus';
    const pool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `buygoods-postbacks-${config.stageName}`,
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: config.signIn.mfa === 'required' ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: plus ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      standardThreatProtectionMode: plus ? cognito.StandardThreatProtectionMode.FULL_FUNCTION : undefined,
      deletionProtection: config.deletionProtection,
      removalPolicy: config.removalPolicy,
    });
    new cognito.CfnUserPoolGroup(this, 'OperatorsGroup', {
      userPoolId: pool.userPoolId,
      groupName: OPERATORS_GROUP,
      description: 'Operators: every account, every management operation (tokens carry cognito:groups)',
    });
    if (config.signIn.mfa !== 'required') {
      Validations.of(pool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason: `Stage ${config.stageName} holds test data and test users; MFA is optional there (TOTP offered) and required in prod.`,
      });
    }
    if (!plus) {
      Validations.of(pool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: `Stage ${config.stageName} has only test users: the Plus plan's threat protection is billed per user and enforced in prod.`,
      });
    }
    new CfnOutput(this, 'UserPoolId', {
      value: pool.userPoolId,
      description: 'Cognito user pool of the stage (add operators to its operators group)',
    });
    return pool;
  }
}
