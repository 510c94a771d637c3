/** Records the port contract suites write: complete, deterministic, and distinct per call where ids matter. */
import { randomBytes } from 'node:crypto';
import type { ConversionRecord, ConversionSlot } from '../../functions/domain/conversion';
import { conversionFields } from '../../functions/domain/conversion-content';
import type { CommissionEventRecord } from '../../functions/domain/order';
import type { ConversionKind } from '../../functions/domain/postback';
import type { PostbackOutcome, PostbackRecord } from '../../functions/domain/postback-log';
import type { ReplayJob } from '../../functions/domain/replay-job';
import { cryptoRandomSource } from '../../functions/adapters/crypto-random-source';
import { newPostbackId, POSTBACK_ID_RANDOM_BYTES } from '../../functions/domain/ids';

/** An account id no other test of the run uses: suites over one table stay independent. */
export function freshAccount(label = 'acct'): string {
  return `${label}-${randomBytes(5).toString('hex')}`;
}

/** An ISO instant `minutes` after a fixed base, so tests can place records on a timeline. */
export function at(minutes: number): string {
  return new Date(Date.parse('2026-11-20T00:00:00.000Z') + minutes * 60_000).toISOString();
}

export function conversion(
  accountId: string,
  orderId: string,
  overrides: Partial<ConversionRecord> & { kind?: ConversionKind; slot?: ConversionSlot } = {},
): ConversionRecord {
  const kind = overrides.kind ?? 'purchase';
  const occurredAt = overrides.occurredAt ?? at(0);
  return {
    ...(conversionFields({
      kind,
      commissionCents: 1500,
      currency: 'USD',
      totalCents: 4999,
    }) as unknown as Pick<ConversionRecord, 'kind'>),
    accountId,
    orderId,
    conversionId: `cv_${orderId}_${overrides.slot ?? 'primary'}`,
    kind,
    slot:
      overrides.slot ??
      (kind === 'purchase' || kind === 'upsell'
        ? 'primary'
        : kind === 'rebill'
          ? `rebill#${occurredAt}`
          : (kind as ConversionSlot)),
    linkId: null,
    campaign: null,
    productId: null,
    merchantId: null,
    issues: [],
    version: 1,
    fingerprints: [`fp-${orderId}`],
    appliedPostbackIds: [`pb-${orderId}`],
    history: [],
    occurredAt,
    createdAt: occurredAt,
    updatedAt: occurredAt,
    ...overrides,
  } as ConversionRecord;
}

export function commissionEvent(
  accountId: string,
  orderId: string,
  fingerprint: string,
  receivedAt = at(0),
): CommissionEventRecord {
  return {
    accountId,
    orderId,
    eventId: `ev_${orderId}_${fingerprint}`,
    kind: 'commission_void',
    commissionCents: 1500,
    postbackId: `pb-${fingerprint}`,
    fingerprint,
    isTest: false,
    receivedAt,
  };
}

/** A postback record whose id carries its arrival time, as the log's keys require. */
export function postback(
  accountId: string,
  receivedAt: string,
  overrides: Partial<PostbackRecord> = {},
): PostbackRecord {
  return {
    postbackId: newPostbackId(new Date(receivedAt), cryptoRandomSource.hex(POSTBACK_ID_RANDOM_BYTES)),
    accountId,
    receivedAt,
    processedAt: receivedAt,
    channel: 'conversion',
    method: 'GET',
    outcome: 'accepted' as PostbackOutcome,
    kind: 'purchase',
    orderId: null,
    clickId: { raw: null, value: null, status: 'missing' },
    issues: [],
    error: null,
    conversionId: null,
    sourceIp: '203.0.113.7',
    rawQuery: 'order_id=1',
    body: null,
    contentType: null,
    replayOf: null,
    ...overrides,
  };
}

export function replayJob(
  accountId: string,
  jobId = `rj_${randomBytes(6).toString('hex')}`,
  overrides: Partial<ReplayJob> = {},
): ReplayJob {
  return {
    jobId,
    accountId,
    filter: { outcome: null, issue: null, from: null, to: at(60) },
    state: 'queued',
    matched: 3,
    matchedExact: true,
    sent: 0,
    failed: 0,
    createdAt: at(0),
    updatedAt: at(0),
    finishedAt: null,
    error: null,
    version: 1,
    page: 0,
    cursor: null,
    pageStartedAt: at(0),
    pageSent: [],
    ...overrides,
  };
}
