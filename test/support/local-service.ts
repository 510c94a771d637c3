/**
 * Starts the service in this test file's process on the engines of the global setup, with its own table
 * and queues, and gives the suite small helpers to drive it over HTTP.
 */
import { randomBytes } from 'node:crypto';
import { startLocalService, type LocalService, type LocalServiceOptions } from '../../local/service';

export async function startTestService(
  options: Omit<LocalServiceOptions, 'endpoints' | 'suffix'> = {},
): Promise<LocalService> {
  const dynamoEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  const sqsEndpoint = process.env.AWS_ENDPOINT_URL_SQS;
  if (!dynamoEndpoint || !sqsEndpoint)
    throw new Error('the jest global setup did not start the local engines');
  return startLocalService({
    ...options,
    endpoints: { dynamoEndpoint, sqsEndpoint },
    suffix: `-${randomBytes(4).toString('hex')}`,
  });
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface Activation {
  readonly conversionUrl: string;
  readonly refundUrl: string;
}

/** Fills the contract's query template like Buygoods does: tokens given here, others left unfilled. */
export function fillTemplate(url: string, values: Record<string, string>): string {
  return url.replace(/\{([A-Z0-9_]+)\}/g, (token, name: string) =>
    name in values ? encodeURIComponent(values[name]!) : token,
  );
}
