/**
 * Compares what the management API shows with the reference model, and waits for the queue to drain by
 * counting the postback log. Differences are collected (not thrown at the first) so a failure shows the
 * extent of the damage.
 */
import { pool, type Json, type managementClient } from './http';
import { sortAmounts, type ExpectedLedger } from './reference-model';

type Api = ReturnType<typeof managementClient>;

/** Every postback log record of an account. */
export function postbackLog(api: Api, account: string): Promise<Json[]> {
  return api.listAll(`/v1/accounts/${account}/postbacks`, 'postbacks');
}

/** Waits until the log of each account holds at least the expected number of records. */
export async function awaitLogCounts(
  api: Api,
  expected: ReadonlyMap<string, number>,
  timeoutMs: number,
): Promise<Map<string, Json[]>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const logs = new Map<string, Json[]>();
    for (const account of expected.keys()) logs.set(account, await postbackLog(api, account));
    const short = [...expected].filter(([account, count]) => logs.get(account)!.length < count);
    if (short.length === 0) return logs;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for the queue to drain: ${short.map(([account, count]) => `${account} has ${logs.get(account)!.length} of ${count}`).join(', ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export interface LedgerComparison {
  readonly ordersChecked: number;
  readonly mismatches: readonly string[];
}

export async function compareOrders(api: Api, expected: ExpectedLedger): Promise<LedgerComparison> {
  const mismatches: string[] = [];
  const orders = [...expected.orders.values()];
  await pool(orders, 16, async (want) => {
    const read = await api.call('GET', `/v1/accounts/${want.account}/orders/${want.orderId}`);
    const where = `${want.account}/${want.orderId}`;
    if (read.status !== 200) return void mismatches.push(`${where}: GET answered ${read.status}`);
    const got = read.body;
    if (got.status !== want.status)
      mismatches.push(`${where}: status ${got.status}, expected ${want.status}`);
    if (got.netCommissionCents !== want.netCommissionCents)
      mismatches.push(`${where}: net ${got.netCommissionCents}, expected ${want.netCommissionCents}`);
    if (got.grossCommissionCents !== undefined && got.grossCommissionCents !== want.grossCommissionCents) {
      mismatches.push(`${where}: gross ${got.grossCommissionCents}, expected ${want.grossCommissionCents}`);
    }
    const conversions = got.conversions as Json[];
    if (conversions.length !== want.conversions.size)
      mismatches.push(`${where}: ${conversions.length} conversions, expected ${want.conversions.size}`);
    for (const [slot, conversion] of want.conversions) {
      const found = conversions.filter((c) =>
        slot === 'primary'
          ? c.kind === 'purchase' || c.kind === 'upsell'
          : slot.startsWith('rebill#')
            ? c.kind === 'rebill' && `rebill#${c.chargedAt}` === slot
            : c.kind === slot,
      );
      if (found.length !== 1) {
        mismatches.push(`${where}: ${found.length} ${slot} conversions, expected 1`);
        continue;
      }
      const [one] = found as [Json];
      if (
        one.kind !== conversion.kind ||
        one.commissionCents !== conversion.commissionCents ||
        one.version !== conversion.version
      ) {
        mismatches.push(
          `${where}: ${slot} is ${JSON.stringify({ kind: one.kind, commissionCents: one.commissionCents, version: one.version })}, expected ${JSON.stringify(conversion)}`,
        );
      }
    }
    const events = sortAmounts(
      (got.commissionEvents as Json[]).map((event) => event.commissionCents as number | null),
    );
    if (JSON.stringify(events) !== JSON.stringify(want.commissionEvents)) {
      mismatches.push(
        `${where}: commission events ${JSON.stringify(events)}, expected ${JSON.stringify(want.commissionEvents)}`,
      );
    }
  });
  return { ordersChecked: orders.length, mismatches };
}

export function countOutcomes(log: readonly Json[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of log) counts[record.outcome as string] = (counts[record.outcome as string] ?? 0) + 1;
  return counts;
}

/**
 * The link report's totals (all rows, all time) against the reference model's orders: counts by kind,
 * gross and net. The aggregates behind the report are kept on write, so this checks they were moved
 * exactly once for every change, whatever the faults and the disorder.
 */
export async function compareReportTotals(
  api: Api,
  expected: ExpectedLedger,
  account: string,
): Promise<string[]> {
  const want = {
    purchases: 0,
    upsells: 0,
    rebills: 0,
    refunds: 0,
    cancels: 0,
    chargebacks: 0,
    grossCommissionCents: 0,
    netCommissionCents: 0,
  };
  for (const order of expected.orders.values()) {
    if (order.account !== account) continue;
    const primary = order.conversions.get('primary');
    if (primary?.kind === 'purchase') want.purchases++;
    if (primary?.kind === 'upsell') want.upsells++;
    want.rebills += [...order.conversions.keys()].filter((slot) => slot.startsWith('rebill#')).length;
    if (order.conversions.has('refund')) want.refunds++;
    if (order.conversions.has('cancel')) want.cancels++;
    if (order.conversions.has('chargeback')) want.chargebacks++;
    want.grossCommissionCents += order.grossCommissionCents;
    want.netCommissionCents += order.netCommissionCents;
  }
  const report = await api.call('GET', `/v1/accounts/${account}/reports/links`);
  const got = Object.fromEntries(
    Object.keys(want).map((figure) => [
      figure,
      (report.body.rows as Json[]).reduce((sum, row) => sum + (row[figure] as number), 0),
    ]),
  );
  return Object.entries(want)
    .filter(([figure, value]) => got[figure] !== value)
    .map(([figure, value]) => `${account}: report ${figure} ${got[figure]}, expected ${value}`);
}

/** A reconcile run over the UTC days since `since`: the drift between the stored aggregates and the raw items. */
export async function reconcileDrift(account: string, since: Date): Promise<unknown[]> {
  const { aggregateDependencies, ledgerRepository } = await import('../../../functions/adapters/wiring');
  const { reconcileAggregates } = await import('../../../functions/use-cases/reconcile-aggregates');
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const result = await reconcileAggregates(
    { ...aggregateDependencies(), ledger: ledgerRepository() },
    account,
    { fromDay: day(since), toDay: day(new Date()) },
    { fix: false },
  );
  return result.drift;
}
