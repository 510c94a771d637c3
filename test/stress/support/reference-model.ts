/**
 * The reference model: what the ledger must hold after a workload, computed from the intents alone with
 * the contract's rules (CONTRACT.md sections 2 and 4), independently of the service's code.
 *
 * - One conversion per order and slot (the purchase or upsell, each rebill charge, each reversal kind); copies of the same
 *   content are recorded once; a corrected content updates the conversion in place (version + 1). The
 *   workloads send a corrected content only after its original was processed, and re-send old content
 *   only as a late retry, so the final content of a slot is its highest version whatever the order of
 *   arrival.
 * - Commission voids are commission events, one per distinct content.
 * - Status: the strongest reversal (chargeback > refund > cancel), else purchased, else unknown.
 * - Gross = the purchase's commission plus every rebill's. The workloads' reversals name no charge, so all
 *   take back from the latest charge (the last rebill by date, else the purchase): net = gross - min(that
 *   charge's commission, sum of reversal amounts), a reversal with no amount taking back that charge's
 *   full commission.
 */
import { slotOf, type Intent, type Send, type Slot } from './workload';

export interface ExpectedConversion {
  readonly kind: string;
  readonly commissionCents: number | null;
  readonly version: number;
}

export interface ExpectedOrder {
  readonly account: string;
  readonly orderId: string;
  readonly status: 'purchased' | 'refunded' | 'cancelled' | 'charged_back' | 'unknown';
  readonly grossCommissionCents: number;
  readonly netCommissionCents: number;
  /** By slot. */
  readonly conversions: ReadonlyMap<Slot, ExpectedConversion>;
  /** Amounts of the commission events, sorted (null last). */
  readonly commissionEvents: readonly (number | null)[];
}

export interface ExpectedOutcomes {
  readonly accepted: number;
  readonly updated: number;
  readonly rejected: number;
}

export interface ExpectedLedger {
  /** Keyed `${account}|${orderId}`. */
  readonly orders: ReadonlyMap<string, ExpectedOrder>;
  /** Per account: the outcomes that do not depend on how many copies arrived. */
  readonly outcomes: ReadonlyMap<string, ExpectedOutcomes>;
  /** Per account: how many conversions (not events) exist. */
  readonly conversionCounts: ReadonlyMap<string, number>;
}

const STRENGTH: readonly [Slot, ExpectedOrder['status']][] = [
  ['chargeback', 'charged_back'],
  ['refund', 'refunded'],
  ['cancel', 'cancelled'],
];

export function computeExpectedLedger(sends: readonly Send[]): ExpectedLedger {
  // Distinct contents actually sent: an intent counts once however many copies went out.
  const sent = [...new Map(sends.map((send) => [send.intent.id, send.intent])).values()];
  const outcomes = new Map<string, { accepted: number; updated: number; rejected: number }>();
  const perOrder = new Map<string, Intent[]>();
  for (const intent of sent) {
    const counts = outcomes.get(intent.account) ?? { accepted: 0, updated: 0, rejected: 0 };
    outcomes.set(intent.account, counts);
    if (intent.rejected) {
      counts.rejected++;
      continue;
    }
    const key = `${intent.account}|${intent.orderId}`;
    perOrder.set(key, [...(perOrder.get(key) ?? []), intent]);
  }

  const orders = new Map<string, ExpectedOrder>();
  const conversionCounts = new Map<string, number>();
  for (const [key, intents] of perOrder) {
    const { account, orderId } = intents[0]!;
    const counts = outcomes.get(account)!;
    const conversions = new Map<Slot, ExpectedConversion>();
    const events: (number | null)[] = [];
    for (const intent of intents) {
      const slot = slotOf(intent);
      if (slot === null) {
        events.push(intent.commissionCents);
        counts.accepted++;
        continue;
      }
      const current = conversions.get(slot);
      if (!current) counts.accepted++;
      else counts.updated++;
      if (!current || intent.version > current.version) {
        conversions.set(slot, {
          kind: intent.kind,
          commissionCents: intent.commissionCents,
          version: Math.max(intent.version, current?.version ?? 0),
        });
      }
    }
    // Versions count the contents a slot had: 1 plus its updates.
    for (const [slot, conversion] of conversions) {
      const contents = intents.filter((intent) => slotOf(intent) === slot).length;
      conversions.set(slot, { ...conversion, version: contents });
    }
    conversionCounts.set(account, (conversionCounts.get(account) ?? 0) + conversions.size);

    const charges = [...conversions].filter(([slot]) => slot === 'primary' || slot.startsWith('rebill#'));
    const gross = charges.reduce((sum, [, c]) => sum + (c.commissionCents ?? 0), 0);
    // Slots `rebill#<ISO time>` sort by time, and any rebill comes after the purchase.
    const latest = charges
      .sort(([a], [b]) => (a === 'primary' ? -1 : b === 'primary' ? 1 : a.localeCompare(b)))
      .at(-1)?.[1];
    const target = latest?.commissionCents ?? 0;
    const reversals = [
      ...[...conversions]
        .filter(([slot]) => !charges.some(([charge]) => charge === slot))
        .map(([, c]) => c.commissionCents),
      ...events,
    ];
    const claimed = reversals.reduce<number>((sum, amount) => sum + (amount ?? target), 0);
    const status =
      STRENGTH.find(([slot]) => conversions.has(slot))?.[1] ?? (charges.length > 0 ? 'purchased' : 'unknown');
    orders.set(key, {
      account,
      orderId,
      status,
      grossCommissionCents: gross,
      netCommissionCents: gross - Math.min(target, claimed),
      conversions,
      commissionEvents: sortAmounts(events),
    });
  }
  return { orders, outcomes, conversionCounts };
}

export function sortAmounts(amounts: readonly (number | null)[]): (number | null)[] {
  return [...amounts].sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b));
}
