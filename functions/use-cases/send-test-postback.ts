/**
 * "Send a test postback": a synthetic purchase, clearly marked (order id TEST-..., is_test=1, kept out of
 * reports), sent through the real path (token check, queue, consumer), answered with its postback record.
 */
import { ConflictError, NotFoundError } from '../domain/errors';
import type { PostbackRecord } from '../domain/postback-log';
import { deriveToken } from '../domain/token';
import type { IntegrationDependencies } from './integration-view';
import type { PostbackLog } from '../ports/postback-log';
import type { PostbackPublisher } from '../ports/postback-publisher';
import type { RandomSource } from '../ports/random-source';
import { awaitPostback } from './await-postback';
import { ingestPostback } from './ingest-postback';

export interface TestPostbackDependencies extends IntegrationDependencies {
  readonly publisher: PostbackPublisher;
  readonly ledger: Pick<PostbackLog, 'getPostback'>;
  readonly random: RandomSource;
  readonly waitMs?: number;
}

export type TestPostbackResult =
  | { readonly processed: true; readonly record: PostbackRecord }
  | { readonly processed: false; readonly postbackId: string };

export async function sendTestPostback(
  deps: TestPostbackDependencies,
  accountId: string,
): Promise<TestPostbackResult> {
  const integration = await deps.integrations.get(accountId);
  if (!integration)
    throw new NotFoundError('The Buygoods integration has not been activated for this account');
  if (integration.status !== 'active' || !integration.tokenNonce)
    throw new ConflictError('integration_inactive', 'The integration is deactivated: activate it first');
  const token = deriveToken(await deps.tokenSecret.get(), accountId, integration.tokenNonce);
  const suffix = deps.random.hex(6);
  const rawQuery = new URLSearchParams({
    subid: `test-${suffix}`,
    orderid: `TEST-${suffix}`,
    commission: '1.00',
    product: 'test-product',
    conv_type: 'frontend',
    is_test: '1',
  }).toString();
  const result = await ingestPostback(deps, {
    method: 'GET',
    tokenSegment: token,
    channelSegment: 'conversion',
    rawPath: `/v1/postbacks/buygoods/${token}/conversion`,
    rawQuery,
    body: null,
    contentType: null,
    sourceIp: null,
  });
  const record = await awaitPostback(deps, accountId, result.postbackId, deps.waitMs ?? 8000);
  return record ? { processed: true, record } : { processed: false, postbackId: result.postbackId };
}
