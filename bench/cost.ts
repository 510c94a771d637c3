/**
 * The AWS bill of the measured mix, scaled to a million postbacks: counted requests, capacity units and
 * log bytes, measured Lambda durations at each function's prod memory size, priced with bench/prices.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sum } from './stats';

export interface Prices {
  readonly region: string;
  readonly checkedOn: string;
  readonly apiGatewayHttpApiPerMillionRequests: number;
  readonly lambdaArm64PerGbSecond: number;
  readonly lambdaPerMillionRequests: number;
  readonly sqsStandardPerMillionRequests: number;
  readonly sqsBilledChunkBytes: number;
  readonly dynamoDbOnDemandPerMillionWriteRequestUnits: number;
  readonly dynamoDbOnDemandPerMillionReadRequestUnits: number;
  readonly cloudWatchLogsIngestionPerGb: number;
  readonly monthlyPricesCheckedOn: string;
  readonly kmsKeyPerMonth: number;
  readonly secretsManagerSecretPerMonth: number;
  readonly cloudWatchDashboardPerMonth: number;
  readonly cloudWatchAlarmMetricPerMonth: number;
  readonly cloudWatchCompositeAlarmPerMonth: number;
  readonly cloudWatchCustomMetricPerMonth: number;
}

export function readPrices(root: string): Prices {
  return JSON.parse(readFileSync(path.join(root, 'bench', 'prices.json'), 'utf8')) as Prices;
}

export interface LambdaUsage {
  readonly invocations: number;
  /** Each invocation's duration rounded up to the millisecond, as Lambda bills it, summed. */
  readonly billedMs: number;
  readonly memoryMb: number;
}

/** Everything the mixed-load phase consumed. */
export interface MeasuredUsage {
  readonly postbacks: number;
  readonly apiRequests: number;
  readonly lambda: Readonly<Record<string, LambdaUsage>>;
  readonly sqsBilledRequests: number;
  readonly readUnits: number;
  /** Write units DynamoDB reported, plus one per failed conditional write (it bills those but does not say how many). */
  readonly writeUnits: number;
  readonly logBytes: {
    readonly handlers: number;
    readonly lambdaPlatform: number;
    readonly apiAccess: number;
  };
}

export interface CostLine {
  readonly service: string;
  /** What was counted, per postback (for the printed table). */
  readonly quantityPerPostback: number;
  readonly unit: string;
  readonly usdPerMillion: number;
}

export interface CostBreakdown {
  readonly lines: readonly CostLine[];
  readonly totalUsdPerMillion: number;
}

const MILLION = 1_000_000;
const GB = 1024 ** 3;

export function billedMs(durations: readonly number[]): number {
  return sum(durations.map((ms) => Math.max(1, Math.ceil(ms))));
}

export function costPerMillion(usage: MeasuredUsage, prices: Prices): CostBreakdown {
  const per = (quantity: number) => quantity / usage.postbacks;
  const lines: CostLine[] = [
    {
      service: 'API Gateway HTTP API',
      quantityPerPostback: per(usage.apiRequests),
      unit: 'requests',
      usdPerMillion: per(usage.apiRequests) * prices.apiGatewayHttpApiPerMillionRequests,
    },
  ];
  for (const [fn, lambda] of Object.entries(usage.lambda)) {
    const gbSeconds = (lambda.billedMs / 1000) * (lambda.memoryMb / 1024);
    lines.push({
      service: `Lambda ${fn} requests`,
      quantityPerPostback: per(lambda.invocations),
      unit: 'invocations',
      usdPerMillion: per(lambda.invocations) * prices.lambdaPerMillionRequests,
    });
    lines.push({
      service: `Lambda ${fn} compute (${lambda.memoryMb} MB)`,
      quantityPerPostback: per(gbSeconds),
      unit: 'GB-s',
      usdPerMillion: per(gbSeconds) * MILLION * prices.lambdaArm64PerGbSecond,
    });
  }
  lines.push(
    {
      service: 'SQS requests (send, receive, delete)',
      quantityPerPostback: per(usage.sqsBilledRequests),
      unit: '64 KB requests',
      usdPerMillion: per(usage.sqsBilledRequests) * prices.sqsStandardPerMillionRequests,
    },
    {
      service: 'DynamoDB writes (on-demand)',
      quantityPerPostback: per(usage.writeUnits),
      unit: 'WRU',
      usdPerMillion: per(usage.writeUnits) * prices.dynamoDbOnDemandPerMillionWriteRequestUnits,
    },
    {
      service: 'DynamoDB reads (on-demand)',
      quantityPerPostback: per(usage.readUnits),
      unit: 'RRU',
      usdPerMillion: per(usage.readUnits) * prices.dynamoDbOnDemandPerMillionReadRequestUnits,
    },
    {
      service: 'CloudWatch Logs: handler logs',
      quantityPerPostback: per(usage.logBytes.handlers),
      unit: 'bytes',
      usdPerMillion: (per(usage.logBytes.handlers) * MILLION * prices.cloudWatchLogsIngestionPerGb) / GB,
    },
    {
      service: 'CloudWatch Logs: Lambda platform lines',
      quantityPerPostback: per(usage.logBytes.lambdaPlatform),
      unit: 'bytes',
      usdPerMillion:
        (per(usage.logBytes.lambdaPlatform) * MILLION * prices.cloudWatchLogsIngestionPerGb) / GB,
    },
    {
      service: 'CloudWatch Logs: API access log',
      quantityPerPostback: per(usage.logBytes.apiAccess),
      unit: 'bytes',
      usdPerMillion: (per(usage.logBytes.apiAccess) * MILLION * prices.cloudWatchLogsIngestionPerGb) / GB,
    },
  );
  return { lines, totalUsdPerMillion: sum(lines.map((line) => line.usdPerMillion)) };
}
