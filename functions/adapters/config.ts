/**
 * Configuration from the environment, read once at cold start. A missing variable fails loudly here
 * instead of becoming '' somewhere deep in a request.
 */
import { ENV } from '../../lib/resources';

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`Missing required environment variable ${name}`);
  return value;
}

export function optionalNumberEnv(
  name: string,
  fallback: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed))
    throw new Error(`Environment variable ${name} must be a number, got ${JSON.stringify(value)}`);
  return parsed;
}

/**
 * Every variable the functions read, but one: the tracing switch (./tracing-switch.ts) is written out
 * where it is used so the bundler can fold it to a constant.
 */
export const config = {
  serviceName: () => process.env.POWERTOOLS_SERVICE_NAME ?? 'buygoods-postbacks',
  metricsNamespace: () => process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'BuygoodsPostbacks',
  /** Locally, the token secret itself; in AWS, absent, and the secret is read from Secrets Manager. */
  localTokenSecret: () => process.env[ENV.tokenSecret] || null,
  tokenSecretArn: () => requireEnv(ENV.tokenSecretArn),
  /** The stage's Cognito user pool; `local` in local mode (invitations go to an in-process stand-in). */
  userPoolId: () => requireEnv(ENV.userPoolId),
  ledgerTableName: () => requireEnv(ENV.ledgerTable),
  postbackQueueUrl: () => requireEnv(ENV.postbackQueue),
  postbackLogRetentionDays: () => optionalNumberEnv(ENV.postbackLogRetentionDays, 90),
  replayJobQueueUrl: () => requireEnv(ENV.replayJobQueue),
};
