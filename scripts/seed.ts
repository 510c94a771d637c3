/**
 * Seed: fills the service `npm start` is running (on PORT, default 3000) with realistic traffic, through
 * the service's own code paths, batched: the catalog and the integration through the management API;
 * clicks and page views written in batches, already counted, their contribution to the report
 * aggregates computed by the aggregator's own code and added once per bucket (counting a million clicks one
 * stream batch at a time would take the local engine hours; the aggregator's stream filter lets counted
 * items pass by, and `npm run reconcile` checks the result against the raw items);
 * purchases, upsells, refunds, chargebacks and a few rejected postbacks through the ingest use case and the
 * queue to the running consumer, each stamped at its moment in the past. It waits until the report shows
 * everything, rolls the finished days as the aggregator would, and prints what it wrote and how long it took.
 *
 *   npm run seed -- --account demo --days 30 --clicks-per-day 500 [--conversion-rate 0.03] [--refund-rate 0.1]
 *     [--rejected-rate 0.02: per sale, a postback Buygoods sent with its placeholders unfilled] [--seed 1]
 *     [--token T: a bearer token, for a service started with AUTH=required: npm run login -- --account demo --role owner]
 */
import { parseArgs } from 'node:util';
import { cryptoRandomSource } from '../functions/adapters/crypto-random-source';
import type { Contribution } from '../functions/domain/aggregates';
import {
  CLICK_ID_RANDOM_BYTES,
  newClickId,
  newPixelHitId,
  PIXEL_HIT_ID_RANDOM_BYTES,
} from '../functions/domain/ids';
import type { Click, PixelHit } from '../functions/domain/traffic';
import { readLocalState, type LocalState } from '../local/state-file';
import { randomGenerator } from './random';

const LINKS = [
  { linkId: 'spring-fb', campaign: 'spring' },
  { linkId: 'spring-ig', campaign: 'spring' },
  { linkId: 'keto-native', campaign: 'keto' },
  { linkId: 'keto-search', campaign: 'keto' },
  { linkId: 'retarget', campaign: null },
];
const PRODUCTS = [
  { productId: 'ketoburn', codename: 'ketoburn', commission: [3500, 5200] },
  { productId: 'slimtea', codename: 'slimtea', commission: [1800, 2600] },
  { productId: 'glowserum', codename: 'glowserum', commission: [2200, 4100] },
];

/** Four shares of a list, for four writers in parallel. */
const shares = <T>(items: readonly T[]): T[][] =>
  [0, 1, 2, 3].map((part) => items.filter((_, index) => index % 4 === part));

/** `target`: a service already known to the caller (the read benchmark); else the `npm start` on PORT. */
export async function seed(argv: readonly string[], target?: LocalState) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      account: { type: 'string', default: 'demo' },
      days: { type: 'string', default: '30' },
      'clicks-per-day': { type: 'string', default: '500' },
      'conversion-rate': { type: 'string', default: '0.03' },
      'refund-rate': { type: 'string', default: '0.1' },
      'rejected-rate': { type: 'string', default: '0.02' },
      seed: { type: 'string', default: '1' },
      quiet: { type: 'boolean', default: false },
      token: { type: 'string' },
    },
  });
  const account = values.account!;
  const days = Number(values.days);
  const clicksPerDay = Number(values['clicks-per-day']);
  const conversionRate = Number(values['conversion-rate']);
  const refundRate = Number(values['refund-rate']);
  const rejectedRate = Number(values['rejected-rate']);
  if (!(days >= 1 && days <= 400 && clicksPerDay >= 0 && clicksPerDay <= 2_000_000))
    throw new Error('--days must be 1-400 and --clicks-per-day 0-2000000');
  for (const [name, rate] of Object.entries({ conversionRate, refundRate, rejectedRate }))
    if (!(rate >= 0 && rate <= 1))
      throw new Error(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be 0-1`);
  const log = (line: string) => (values.quiet ? undefined : process.stderr.write(`${line}\n`));
  // The same --seed gives the same traffic.
  const rand = randomGenerator(Number(values.seed));
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;

  const port = Number(process.env.PORT ?? 3000);
  const local = target ?? readLocalState(port);
  Object.assign(process.env, {
    LEDGER_TABLE_NAME: local.tableName,
    POSTBACK_QUEUE_URL: local.queueUrl,
    AWS_ENDPOINT_URL_DYNAMODB: local.dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: local.sqsEndpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const [
    { aggregateDependencies, ingestDependencies },
    { ingestPostback },
    { trafficCounts },
    { sumContributions },
    { rollUpDays },
  ] = await Promise.all([
    import('../functions/adapters/wiring'),
    import('../functions/use-cases/ingest-postback'),
    import('../functions/use-cases/count-new-traffic'),
    import('../functions/domain/aggregates'),
    import('../functions/use-cases/roll-up-days'),
  ]);
  const started = Date.now();
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${local.url}/v1/accounts/${account}${path}`, {
      method,
      headers: values.token ? { authorization: `Bearer ${values.token}` } : undefined,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = (await response.json()) as Record<string, unknown>;
    if (response.status >= 400)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(payload)}`);
    return payload;
  };

  // The catalog, as a person sets it up.
  await api('PUT', '/merchants/m-demo', { name: 'Demo Labs', paymentGateway: 'buygoods', settings: {} });
  for (const product of PRODUCTS)
    await api('PUT', `/products/${product.productId}`, {
      name: product.productId,
      merchantId: 'm-demo',
      fulfillmentProvider: 'buygoods',
      productCodename: product.codename,
      settings: {},
    });
  for (const link of LINKS)
    await api('PUT', `/links/${link.linkId}`, {
      name: link.linkId,
      destinationUrl: `https://offers.example.com/${link.linkId}`,
      campaign: link.campaign,
    });
  const integration = await api('POST', '/integrations/buygoods');
  const token = new URL(integration.conversionUrl as string).pathname.split('/')[4]!;
  let pageviewPixel: string | null = null;
  for (let attempt = 0; attempt < 100 && !pageviewPixel; attempt++) {
    pageviewPixel =
      ((await api('GET', '/pixels')).pixels as Array<{ pixelId: string; event: string }>).find(
        (p) => p.event === 'pageview',
      )?.pixelId ?? null;
    if (!pageviewPixel) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const { aggregates, traffic } = aggregateDependencies();
  const deps = ingestDependencies();
  let trafficDelta: Contribution = {};
  const end = Date.now() - 60_000;
  const start = end - days * 86_400_000;
  const counts = {
    clicks: 0,
    pageviews: 0,
    purchases: 0,
    upsells: 0,
    refunds: 0,
    chargebacks: 0,
    rejected: 0,
  };
  let order = 0;
  type Postback = { at: number; channel: 'conversion' | 'refund'; query: string };
  const postbacks: Postback[] = [];
  const q = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  const CHUNK = 5000;
  const total = days * clicksPerDay;
  for (let done = 0; done < total; done += CHUNK) {
    const clicks: Click[] = [];
    const hits: PixelHit[] = [];
    for (let i = done; i < Math.min(total, done + CHUNK); i++) {
      const at = start + rand() * (end - start);
      const link = pick(LINKS);
      const clickId = newClickId(cryptoRandomSource.base64url(CLICK_ID_RANDOM_BYTES));
      clicks.push({
        clickId,
        accountId: account,
        linkId: link.linkId,
        campaign: link.campaign,
        at: new Date(at).toISOString(),
        sourceIp: null,
        userAgent: null,
      });
      if (pageviewPixel && rand() < 0.6)
        hits.push({
          hitId: newPixelHitId(cryptoRandomSource.hex(PIXEL_HIT_ID_RANDOM_BYTES)),
          accountId: account,
          pixelId: pageviewPixel,
          merchantId: 'm-demo',
          event: 'pageview' as const,
          clickId,
          orderId: null,
          at: new Date(at + 5_000).toISOString(),
        });
      if (rand() < conversionRate) {
        const product = pick(PRODUCTS);
        const orderId = `D${String(++order).padStart(7, '0')}`;
        const soldAt = Math.min(end, at + rand() * 3_600_000);
        const cents =
          product.commission[0]! + Math.floor(rand() * (product.commission[1]! - product.commission[0]!));
        postbacks.push({
          at: soldAt,
          channel: 'conversion',
          query: q({
            subid: clickId,
            orderid: orderId,
            commission: (cents / 100).toFixed(2),
            product: product.codename,
            conv_type: 'frontend',
          }),
        });
        counts.purchases++;
        if (rand() < 0.2) {
          postbacks.push({
            at: soldAt + 120_000,
            channel: 'conversion',
            query: q({
              subid: clickId,
              orderid: `${orderId}U`,
              commission: '15.00',
              product: product.codename,
              conv_type: 'upsell',
            }),
          });
          counts.upsells++;
        }
        const roll = rand();
        if (roll < refundRate) {
          postbacks.push({
            at: Math.min(end, soldAt + rand() * 10 * 86_400_000),
            channel: 'refund',
            query: q({ subid: clickId, orderid: orderId }),
          });
          counts.refunds++;
        } else if (roll < refundRate + 0.01) {
          postbacks.push({
            at: Math.min(end, soldAt + rand() * 20 * 86_400_000),
            channel: 'refund',
            query: q({ subid: clickId, orderid: orderId, event: 'chargeback' }),
          });
          counts.chargebacks++;
        }
        // A few postbacks Buygoods sends wrong: an unfilled order id is rejected, an unfilled click id flagged.
        if (rand() < rejectedRate) {
          postbacks.push({
            at: soldAt + 1000,
            channel: 'conversion',
            query: q({ subid: '{SUBID}', orderid: '{ORDERID}', commission: '10.00' }),
          });
          counts.rejected++;
        }
      }
    }
    const [clickShares, hitShares] = [shares(clicks), shares(hits)];
    await Promise.all(
      clickShares.map((share, part) => traffic.putTraffic(share, hitShares[part]!, { counted: true })),
    );
    const counted = await trafficCounts({ traffic }, clicks, hits);
    trafficDelta = sumContributions([trafficDelta, ...counted.map((count) => count.delta)]);
    counts.clicks += clicks.length;
    counts.pageviews += hits.length;
    log(`clicks ${counts.clicks}/${total}`);
  }

  // Their contribution, once per bucket item (a few thousand at most: days x links x shards).
  await Promise.all(
    shares(Object.entries(trafficDelta)).map((share) =>
      aggregates.addToBuckets(account, Object.fromEntries(share)),
    ),
  );
  log(`traffic counted into ${Object.keys(trafficDelta).length} bucket items`);

  // Postbacks in arrival order, a few at a time, through ingest and the queue, each at its own moment.
  postbacks.sort((a, b) => a.at - b.at);
  const CONCURRENCY = 16;
  for (let next = 0; next < postbacks.length; next += CONCURRENCY) {
    await Promise.all(
      postbacks.slice(next, next + CONCURRENCY).map((p) =>
        ingestPostback(
          { ...deps, clock: { ...deps.clock, now: () => new Date(p.at) } },
          {
            method: 'GET',
            tokenSegment: token,
            channelSegment: p.channel,
            rawPath: `/v1/postbacks/buygoods/${token}/${p.channel}`,
            rawQuery: p.query,
            body: null,
            contentType: null,
            sourceIp: '203.0.113.9',
          },
        ),
      ),
    );
  }
  log(`postbacks queued: ${postbacks.length}`);

  // Done when the queue is drained (the consumer moves the aggregates as it records, so an empty queue
  // means every sale is counted) and the report shows it all. The queue's depth is one cheap call; the
  // report reads every bucket of the range, so polling it while the consumer works would slow the engine
  // the consumer is waiting on.
  for (let depth = await queueDepth(local); depth > 0; depth = await queueDepth(local)) {
    log(`waiting for the service: ${depth} postbacks in the queue`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const range = `from=${new Date(start).toISOString()}&to=${new Date(end + 60_000).toISOString()}`;
  // The queue is empty, so what is missing now only comes from the aggregator's stream: if the report
  // stops moving for a minute, something was lost; say so rather than wait for ever.
  let last = '';
  let lastMoved = Date.now();
  for (;;) {
    const rows = (await api('GET', `/reports/links?${range}`)).rows as Array<{
      clicks: number;
      purchases: number;
      upsells: number;
    }>;
    const shown = rows.reduce(
      (sum, r) => ({ clicks: sum.clicks + r.clicks, sales: sum.sales + r.purchases + r.upsells }),
      { clicks: 0, sales: 0 },
    );
    if (shown.clicks >= counts.clicks && shown.sales >= counts.purchases + counts.upsells) break;
    const now = `${shown.clicks}/${shown.sales}`;
    if (now !== last) [last, lastMoved] = [now, Date.now()];
    else if (Date.now() - lastMoved > STALL_MS)
      throw new Error(
        `the report shows ${shown.clicks} of ${counts.clicks} clicks and ${shown.sales} of ` +
          `${counts.purchases + counts.upsells} sales and has not moved for ${STALL_MS / 1000} s: ` +
          `figures were lost; npm run reconcile -- --account ${account} --from <first day> --to <today> shows where`,
      );
    log(
      `waiting for the service: ${shown.clicks}/${counts.clicks} clicks, ${shown.sales}/${counts.purchases + counts.upsells} sales in the report`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  // The finished days rolled, as the aggregator rolls them when an account's traffic reaches a new day.
  const rolled = await rollUpDays({ aggregates }, account, new Date().toISOString().slice(0, 10));
  log(
    `finished days rolled: ${rolled.sources} bucket items into ${rolled.rolled} (${rolled.days.length} days)`,
  );
  const seconds = (Date.now() - started) / 1000;
  return { account, days, ...counts, postbacks: postbacks.length, seconds };
}

/** How long the report may stand still, short of the seeded figures, before the seed calls it lost. */
const STALL_MS = 60_000;

/** Messages waiting or in flight on the service's postback queue. */
async function queueDepth(local: LocalState): Promise<number> {
  const { SQSClient, GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
  const sqs = new SQSClient({ endpoint: local.sqsEndpoint });
  try {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: local.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  } finally {
    sqs.destroy();
  }
}

if (process.argv[1]?.endsWith('seed.ts')) {
  seed(process.argv.slice(2)).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error: Error) => {
      process.stderr.write(`seed: ${error.message}\n`);
      process.exit(2);
    },
  );
}
