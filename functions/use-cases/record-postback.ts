/**
 * Record: turn one queued postback into its conversion (or commission event) and its log record.
 * Idempotent under redelivery and concurrent copies: every write is conditional, a lost race re-reads and
 * decides again, and a redelivered message recovers the outcome it had.
 */
import {
  decideConversionWrite,
  slotOf,
  type Attribution,
  type ConversionDecision,
  type ConversionRecord,
} from '../domain/conversion';
import type { CommissionEventRecord } from '../domain/order';
import { CONVERSION_ID_RANDOM_BYTES, newConversionId } from '../domain/ids';
import { fingerprintPostback } from '../domain/conversion-content';
import { parsePostback } from '../domain/parse-postback';
import type { ConversionKind, Rejection, ParsedPostback, ParseOutcome } from '../domain/postback';
import {
  redactBody,
  redactFormEncoded,
  type PostbackMessage,
  type PostbackOutcome,
  type PostbackRecord,
} from '../domain/postback-log';
import type { AggregateRepository } from '../ports/aggregate-repository';
import type { CatalogRepository } from '../ports/catalog-repository';
import type { Clock } from '../ports/clock';
import type { RandomSource } from '../ports/random-source';
import type { LedgerRepository } from '../ports/ledger-repository';
import type { TrafficRepository } from '../ports/traffic-repository';
import { WriteConflictError } from '../domain/errors';
import { refreshOrderAggregate } from './refresh-order-aggregate';

export interface RecordDependencies {
  readonly ledger: LedgerRepository;
  readonly catalog: Pick<CatalogRepository, 'findProductByCodename'>;
  readonly traffic: Pick<TrafficRepository, 'getClicks'>;
  readonly aggregates: AggregateRepository;
  readonly clock: Clock;
  readonly random: RandomSource;
}

export interface RecordResult {
  readonly record: PostbackRecord;
  /** The conversion's decision, for metrics and logs. */
  readonly changed: readonly string[];
  /** Conditional writes lost to a concurrent consumer (each re-read and decided again). */
  readonly writeConflicts: number;
}

type Recorded = {
  readonly outcome: PostbackOutcome;
  readonly conversionId: string | null;
  readonly changed: readonly string[];
  readonly writeConflicts: number;
};

const MAX_ATTEMPTS = 5;

/**
 * `firstDelivery`: the queue has not delivered this message before, so it cannot have been recorded and
 * the log is not read first. Were it wrong (SQS may, rarely, deliver a copy twice), every write below is
 * idempotent and the copy gets the same outcome.
 */
export async function recordPostback(
  deps: RecordDependencies,
  message: PostbackMessage,
  options: { readonly firstDelivery?: boolean } = {},
): Promise<RecordResult> {
  const existing = options.firstDelivery
    ? null
    : await deps.ledger.getPostback(message.accountId, message.postbackId);
  if (existing && existing.outcome !== 'pending') return { record: existing, changed: [], writeConflicts: 0 };

  const verdict = parsePostback(message.raw);
  const parsed = message.rejection ? asRejected(verdict, message.rejection) : verdict;
  if (!parsed.ok) {
    // An ignored event (connection_test, abandon, ...) is logged with its name and creates nothing.
    const record = logRecord(
      deps,
      message,
      parsed.ignored !== undefined ? 'ignored' : 'rejected',
      parsed,
      null,
    );
    await deps.ledger.putPostback(record);
    return { record, changed: [], writeConflicts: 0 };
  }

  const postback = parsed.postback;
  const { outcome, conversionId, changed, writeConflicts } =
    postback.kind === 'commission_void'
      ? await recordCommissionEvent(deps, message, postback)
      : await recordConversion(deps, message, postback as ParsedPostback & { kind: ConversionKind });
  // What this postback wrote (or, redelivered, may have written before a crash) reaches the report
  // aggregates before it is logged as processed. A duplicate wrote nothing: the postback that did refreshes.
  if (outcome !== 'duplicate') await refreshOrderAggregate(deps, message.accountId, postback.orderId);
  const record = logRecord(deps, message, outcome, parsed, conversionId);
  await deps.ledger.putPostback(record);
  return { record, changed, writeConflicts };
}

/**
 * The link whose click carried this click id (clicks of other accounts never count) and the product whose
 * codename it names. A click recorded later is still found when reports and orders are read.
 */
async function attribute(
  deps: RecordDependencies,
  accountId: string,
  postback: ParsedPostback,
): Promise<Attribution> {
  const clickId = postback.clickId.status === 'valid' ? postback.clickId.value : null;
  const [clicks, product] = await Promise.all([
    clickId ? deps.traffic.getClicks([clickId]) : new Map(),
    postback.productCodename ? deps.catalog.findProductByCodename(accountId, postback.productCodename) : null,
  ]);
  const click = clickId ? clicks.get(clickId) : undefined;
  const ours = click && click.accountId === accountId ? click : null;
  return {
    linkId: ours?.linkId ?? null,
    campaign: ours?.campaign ?? null,
    productId: product?.productId ?? null,
    merchantId: product?.merchantId ?? null,
  };
}

async function recordConversion(
  deps: RecordDependencies,
  message: PostbackMessage,
  postback: ParsedPostback & { kind: ConversionKind },
): Promise<Recorded> {
  const attribution = await attribute(deps, message.accountId, postback);
  for (let attempt = 1; ; attempt++) {
    const existing = await deps.ledger.getConversion(message.accountId, postback.orderId, slotOf(postback));
    const incoming = inheritRedacted(message, postback, existing);
    const decision: ConversionDecision = decideConversionWrite(existing, incoming, {
      accountId: message.accountId,
      attribution,
      postbackId: message.postbackId,
      // A replay's content competes with the others as of when Buygoods first sent it.
      receivedAt: message.originalReceivedAt ?? message.receivedAt,
      now: deps.clock.now().toISOString(),
      newConversionId: () => newConversionId(deps.random.hex(CONVERSION_ID_RANDOM_BYTES)),
    });
    const settled = (outcome: PostbackOutcome, changed: readonly string[] = []): Recorded => ({
      outcome,
      conversionId: decision.record.conversionId,
      changed,
      writeConflicts: attempt - 1,
    });
    if (decision.action === 'duplicate') return settled('duplicate');
    if (decision.action === 'already_applied') return settled(decision.outcome);
    try {
      await deps.ledger.putConversion(decision.record, existing);
      if (postback.kind === 'purchase' && postback.orderIdGlobal)
        await deps.ledger.linkGlobalOrder(message.accountId, postback.orderIdGlobal, postback.orderId);
      // The customer this postback names, also when its content is superseded: erasure must find it.
      const emailHash = incoming.customer.emailHash;
      if (emailHash)
        await deps.ledger.indexCustomer(message.accountId, emailHash, postback.orderId, decision.record.slot);
      return decision.action === 'create' ? settled('accepted') : settled('updated', decision.changed);
    } catch (error) {
      // Another consumer wrote the same slot first: read its write and decide again.
      if (!(error instanceof WriteConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function recordCommissionEvent(
  deps: RecordDependencies,
  message: PostbackMessage,
  postback: ParsedPostback,
): Promise<Recorded> {
  const fingerprint = fingerprintPostback(postback);
  const event: CommissionEventRecord = {
    accountId: message.accountId,
    orderId: postback.orderId,
    eventId: `ce_${fingerprint.slice(0, 24)}`,
    kind: 'commission_void',
    commissionCents: postback.commissionCents,
    postbackId: message.postbackId,
    fingerprint,
    isTest: postback.isTest,
    receivedAt: message.receivedAt,
  };
  if (await deps.ledger.putCommissionEvent(event))
    return { outcome: 'accepted', conversionId: null, changed: [], writeConflicts: 0 };
  const stored = await deps.ledger.getCommissionEvent(message.accountId, postback.orderId, fingerprint);
  const outcome: PostbackOutcome = stored?.postbackId === message.postbackId ? 'accepted' : 'duplicate';
  return { outcome, conversionId: null, changed: [], writeConflicts: 0 };
}

/**
 * A replay runs the stored copy, whose customer details were redacted: it inherits them from the
 * conversion it replays, so replaying an accepted postback is a duplicate, not an update.
 */
function inheritRedacted<P extends ParsedPostback>(
  message: PostbackMessage,
  postback: P,
  existing: ConversionRecord | null,
): P {
  if (!message.replayOf || !existing) return postback;
  const { customer } = postback;
  return {
    ...postback,
    customer: {
      name: customer.name ?? existing.customer.name,
      email: customer.email ?? existing.customer.email,
      emailHash: customer.emailHash ?? existing.customer.emailHash,
    },
  };
}

/** Ingest refused it (too large, say): keep what can still be read of it for the log. */
function asRejected(verdict: ParseOutcome, error: Rejection): ParseOutcome {
  if (!verdict.ok)
    return {
      ok: false,
      ignored: undefined,
      error,
      kind: verdict.kind,
      orderId: verdict.orderId,
      clickId: verdict.clickId,
      issues: verdict.issues,
    };
  const { kind, orderId, clickId, issues } = verdict.postback;
  return { ok: false, error, kind, orderId, clickId, issues };
}

function logRecord(
  deps: RecordDependencies,
  message: PostbackMessage,
  outcome: PostbackOutcome,
  parsed: ParseOutcome,
  conversionId: string | null,
): PostbackRecord {
  const facts = parsed.ok
    ? {
        kind: parsed.postback.kind,
        orderId: parsed.postback.orderId,
        clickId: parsed.postback.clickId,
        issues: parsed.postback.issues,
        error: null,
      }
    : {
        kind: parsed.kind,
        orderId: parsed.orderId,
        clickId: parsed.clickId,
        issues: parsed.issues,
        error: parsed.error,
        ...(parsed.ignored !== undefined ? { reason: parsed.ignored } : {}),
      };
  return {
    postbackId: message.postbackId,
    accountId: message.accountId,
    receivedAt: message.receivedAt,
    processedAt: deps.clock.now().toISOString(),
    channel: message.raw.channel,
    method: message.raw.method,
    outcome,
    ...facts,
    conversionId,
    sourceIp: message.sourceIp,
    rawQuery: redactFormEncoded(message.raw.rawQuery),
    body: redactBody(message.raw.body),
    contentType: message.raw.contentType,
    replayOf: message.replayOf ?? null,
    ...(message.originalReceivedAt ? { originalReceivedAt: message.originalReceivedAt } : {}),
  };
}
