/** The per-stage settings: what each stage protects and alarms on, and a loud failure for a stage that does not exist. */
import { RemovalPolicy } from 'aws-cdk-lib';
import { getStageConfig, STAGE_NAMES, type Throttle } from '../../lib/stage-config';

const isSaneThrottle = (throttle: Throttle) =>
  throttle.rateLimit > 0 && throttle.burstLimit >= throttle.rateLimit;

describe('stage config', () => {
  it('retains and protects data in prod only', () => {
    expect(getStageConfig('prod')).toMatchObject({
      removalPolicy: RemovalPolicy.RETAIN,
      pointInTimeRecovery: true,
      deletionProtection: true,
    });
    expect(getStageConfig('dev')).toMatchObject({
      removalPolicy: RemovalPolicy.DESTROY,
      pointInTimeRecovery: false,
      deletionProtection: false,
    });
  });

  it('gives every stage a log retention, a log level, a stage throttle and one per public route kind', () => {
    for (const stage of STAGE_NAMES) {
      const config = getStageConfig(stage);
      expect(config.stageName).toBe(stage);
      expect(config.logRetention).toBeGreaterThan(0);
      expect(['DEBUG', 'INFO', 'WARN', 'ERROR']).toContain(config.logLevel);
      expect(config.postbackLogRetentionDays).toBeGreaterThan(0);
      expect(isSaneThrottle(config.throttling.stageDefault)).toBe(true);
      expect(isSaneThrottle(config.throttling.publicRoutes.ingest)).toBe(true);
      expect(isSaneThrottle(config.throttling.publicRoutes.tracking)).toBe(true);
    }
  });

  it('alarms on any dead-lettered message in every stage, and on silence sooner the closer to prod', () => {
    expect(STAGE_NAMES.map((stage) => getStageConfig(stage).alarms.deadLetterMessages)).toEqual([0, 0, 0]);
    expect(STAGE_NAMES.map((stage) => getStageConfig(stage).alarms.silenceHours)).toEqual([72, 24, 6]);
    const [dev, staging, prod] = STAGE_NAMES.map((stage) => getStageConfig(stage).alarms);
    for (const key of ['consumerErrorsPer5Min', 'api5xxPer5Min', 'oldestMessageAgeSeconds'] as const) {
      expect(dev![key]).toBeGreaterThanOrEqual(staging![key]);
      expect(staging![key]).toBeGreaterThanOrEqual(prod![key]);
    }
  });

  it('subscribes no one to alarms until a deploy names addresses or a topic, and requires one in prod only', () => {
    for (const stage of STAGE_NAMES)
      expect(getStageConfig(stage)).toMatchObject({ alarmEmails: [], alarmTopicArn: null });
    expect(STAGE_NAMES.map((stage) => getStageConfig(stage).requireAlarmSubscribers)).toEqual([
      false,
      false,
      true,
    ]);
    expect(
      getStageConfig('prod', { alarmEmails: ' ops@example.com, oncall@example.com ' }).alarmEmails,
    ).toEqual(['ops@example.com', 'oncall@example.com']);
    expect(
      getStageConfig('prod', { alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:paging' }).alarmTopicArn,
    ).toBe('arn:aws:sns:us-east-1:123456789012:paging');
  });

  it('rejects alarm subscribers that could never receive anything', () => {
    expect(() => getStageConfig('prod', { alarmEmails: 'ops@example.com,not-an-address' })).toThrow(
      /alarmEmails: not an e-mail address: "not-an-address"/,
    );
    expect(() => getStageConfig('prod', { alarmTopicArn: 'arn:aws:sqs:us-east-1:123456789012:q' })).toThrow(
      /alarmTopicArn: not an SNS topic ARN/,
    );
  });

  it.each([['qa'], [''], [undefined], [42]])(
    'rejects the unknown stage %p, naming the valid ones',
    (stage) => {
      expect(() => getStageConfig(stage)).toThrow(/Unknown stage .*-c stage=dev\|staging\|prod/);
    },
  );
});
