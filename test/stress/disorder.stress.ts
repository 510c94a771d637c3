/**
 * Load and disorder: thousands of postbacks over many orders of two accounts (which use the same order
 * ids), sent concurrently and shuffled: reversals before their purchases, copies of the same postback
 * apart, corrected commissions and late retries of old content. The final ledger must equal the reference
 * model computed from the inputs alone (support/reference-model.ts), and the postback log must account
 * for every request exactly once.
 *
 * Why the final state is well-defined: phase 1 carries each slot's first content (any number of
 * identical copies, any order); phase 2, sent once phase 1 is processed, carries the corrected contents
 * and late retries of the old ones. Old content is a duplicate whenever it arrives, so the final content
 * of every slot is its corrected one whatever the order within phase 2.
 */
import type { LocalService } from '../../local/service';
import { startTestService } from '../support/local-service';
import { deliver, managementClient, pool, type Json } from './support/http';
import {
  awaitLogCounts,
  compareOrders,
  compareReportTotals,
  countOutcomes,
  reconcileDrift,
} from './support/ledger-check';
import { captureLogs, linesWithCustomerData, type LogCapture } from './support/log-capture';
import { computeExpectedLedger } from './support/reference-model';
import { stressSeed } from './support/random';
import { buildWorkload, requestFor, type PostbackUrls, type Send } from './support/workload';

const seed = stressSeed('disorder');
const accounts = ['acct-disorder-a', 'acct-disorder-b'];
const workload = buildWorkload({
  accounts,
  ordersPerAccount: Number(process.env.STRESS_ORDERS ?? 600),
  orderPrefix: 'ORD',
  updates: true,
  rejectedPerAccount: 10,
  seed,
});
const CONCURRENCY = 48;

let service: LocalService;
let logs: LogCapture;
let api: ReturnType<typeof managementClient>;
const urls = new Map<string, PostbackUrls>();

beforeAll(async () => {
  logs = captureLogs('disorder');
  // A batch that runs past the consumer's 30 s budget on a loaded machine is retried, as in AWS; the
  // visibility timeout is shortened (from six times the budget) so the retry comes back within the waits.
  service = await startTestService({ pollers: 4, visibilityTimeoutSeconds: 40 });
  api = managementClient(service.url);
  for (const account of accounts) {
    const activated = await api.call('POST', `/v1/accounts/${account}/integrations/buygoods`);
    expect(activated.status).toBe(201);
    urls.set(account, activated.body as PostbackUrls);
  }
});
afterAll(async () => {
  await service?.stop();
  logs?.stop();
});

interface Answered {
  readonly send: Send;
  readonly status: number;
  readonly postbackId: string | null;
}

async function sendAll(sends: readonly Send[]): Promise<Answered[]> {
  return pool(sends, CONCURRENCY, async (send) => {
    const { url, init } = requestFor(send.intent, urls.get(send.intent.account)!);
    const delivery = await deliver(url, init, 1);
    return { send, status: delivery.final.status, postbackId: delivery.final.postbackId };
  });
}

function countByAccount(answers: readonly Answered[]): Map<string, number> {
  const counts = new Map(accounts.map((account) => [account, 0]));
  for (const answer of answers)
    counts.set(answer.send.intent.account, counts.get(answer.send.intent.account)! + 1);
  return counts;
}

test('thousands of shuffled, concurrent postbacks with duplicates and updates end in exactly the reference model', async () => {
  const started = Date.now();
  const phase1 = workload.sends.filter((send) => send.phase === 1);
  const phase2 = workload.sends.filter((send) => send.phase === 2);

  const answers1 = await sendAll(phase1);
  await awaitLogCounts(api, countByAccount(answers1), 180_000);
  const answers2 = await sendAll(phase2);
  const answers = [...answers1, ...answers2];
  const logsByAccount = await awaitLogCounts(api, countByAccount(answers), 180_000);
  const processedMs = Date.now() - started;

  // Every request was answered as the contract says: 200, or 400 for an unusable order id.
  for (const answer of answers) {
    expect({ status: answer.status, hasId: answer.postbackId !== null }).toEqual({
      status: answer.send.intent.rejected ? 400 : 200,
      hasId: true,
    });
  }

  const expected = computeExpectedLedger(workload.sends);
  const comparison = await compareOrders(api, expected);
  expect(comparison.mismatches.slice(0, 20)).toEqual([]);
  expect(comparison.ordersChecked).toBe(expected.orders.size);
  // The report's aggregates, kept on write, equal the model too, and a reconcile run finds no drift.
  for (const account of accounts) {
    expect(await compareReportTotals(api, expected, account)).toEqual([]);
    expect(await reconcileDrift(account, new Date(started))).toEqual([]);
  }

  for (const account of accounts) {
    const log = logsByAccount.get(account)!;
    const answeredIds = answers
      .filter((answer) => answer.send.intent.account === account)
      .map((answer) => answer.postbackId!);
    // Each request is in the log exactly once, and nothing else is.
    expect(log.map((record) => record.postbackId as string).sort()).toEqual([...answeredIds].sort());
    const outcomes = countOutcomes(log);
    const want = expected.outcomes.get(account)!;
    expect({
      accepted: outcomes.accepted ?? 0,
      updated: outcomes.updated ?? 0,
      rejected: outcomes.rejected ?? 0,
      pending: outcomes.pending ?? 0,
    }).toEqual({
      accepted: want.accepted,
      updated: want.updated,
      rejected: want.rejected,
      pending: 0,
    });
    expect(outcomes.duplicate ?? 0).toBe(answeredIds.length - want.accepted - want.updated - want.rejected);
    const conversions = await api.listAll(`/v1/accounts/${account}/conversions`, 'conversions');
    expect(conversions.length).toBe(expected.conversionCounts.get(account));
    const accountOrders = [...expected.orders.values()].filter((order) => order.account === account).length;
    expect(new Set(conversions.map((c: Json) => c.orderId as string)).size).toBeLessThanOrEqual(
      accountOrders,
    );
  }

  const firstPrimary = new Map<string, number>();
  workload.sends.forEach((send, index) => {
    const key = `${send.intent.account}|${send.intent.orderId}`;
    if ((send.intent.kind === 'purchase' || send.intent.kind === 'upsell') && !firstPrimary.has(key))
      firstPrimary.set(key, index);
  });
  const reversalsFirst = workload.sends.filter(
    (send, index) =>
      send.intent.kind !== 'purchase' &&
      send.intent.kind !== 'upsell' &&
      send.intent.kind !== 'rebill' &&
      index < (firstPrimary.get(`${send.intent.account}|${send.intent.orderId}`) ?? -1),
  ).length;
  const statuses = [...expected.orders.values()].reduce<Record<string, number>>(
    (counts, order) => ({ ...counts, [order.status]: (counts[order.status] ?? 0) + 1 }),
    {},
  );
  console.log(
    [
      `disorder figures (seed ${seed}):`,
      `  postbacks sent: ${answers.length} (${phase1.length} in phase 1, ${phase2.length} in phase 2), concurrency ${CONCURRENCY}, ${accounts.length} accounts sharing order ids`,
      `  distinct contents: ${new Set(workload.sends.map((send) => send.intent.id)).size}; copies beyond the first: ${answers.length - new Set(workload.sends.map((send) => send.intent.id)).size}; reversals sent before their purchase: ${reversalsFirst}`,
      `  outcomes: ${accounts.map((account) => `${account} ${JSON.stringify(countOutcomes(logsByAccount.get(account)!))}`).join('; ')}`,
      `  orders compared with the reference model: ${comparison.ordersChecked} (${JSON.stringify(statuses)}), mismatches: ${comparison.mismatches.length}; report totals equal to the model, reconcile drift 0`,
      `  sent and processed in ${processedMs} ms (${Math.round((answers.length / processedMs) * 1000)} postbacks/s); total ${Date.now() - started} ms`,
    ].join('\n'),
  );
});

test('no customer name or email reached a log line of this suite', () => {
  const customers = workload.intents.flatMap((intent) => (intent.customer ? [intent.customer] : []));
  expect(customers.length).toBeGreaterThan(100);
  expect(logs.lines().length).toBeGreaterThan(0);
  expect(linesWithCustomerData(logs.lines(), customers).slice(0, 5)).toEqual([]);
  console.log(`disorder log lines checked: ${logs.lines().length} (kept in ${logs.file})`);
});
