/**
 * `npm run bench:report`: the link report against saturated buckets, without the 28-minute seed of
 * `npm run bench:reads`. It starts a fresh local service, puts the account's 5 links and 3 products
 * through the API, then writes straight into the table the bucket items that BENCH_REPORT_CLICKS clicks a
 * month fill (default 1 M): 31 UTC days x 5 links x 2 figures x 8 shards traffic items, at 1 M with all 96
 * quarter-hours, and 31 x 5 x 3 sales items, at 1 M with about half the quarter-hours holding purchases
 * and commission (both date bases), upsells and refunds. The items are built by the domain's own
 * contribution code, so they hold what the service would write. Then it times each read over HTTP (median of BENCH_REPORT_RUNS, default 9, after
 * 2 warm-up reads), with the CPU each read took in this process (the service) and in DynamoDB Local
 * (steadier than the wall time on a shared machine) and the read units it consumed, and getLinkReport
 * called in this process; then the write units of one more click and one more sale into a saturated
 * bucket (an ADD like the service's, ConsumedCapacity as DynamoDB Local computes it from the item's size).
 * Every read is timed twice: with the days' traffic in its shard items, then after the roll-ups the
 * aggregator runs when the day turns and at each 3-hour turn of today (functions/use-cases/roll-up-days.ts),
 * whose time and write units are printed; the answers must be byte-identical. Not part of CI. Run it under `node --cpu-prof` to profile the service side (it runs in this process).
 */
import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { instrumentClients } from '../functions/adapters/clients';
import { startLocalService } from '../local/service';
import { countingMiddleware, Tally } from './counters';
import { cpuBetween, sampleCpu } from './cpu';
import { median, round } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const runs = Number(process.env.BENCH_REPORT_RUNS ?? 9);
/** The month's clicks the buckets stand for (BENCH_REPORT_CLICKS, default 1,000,000: saturated). */
const clicks = Number(process.env.BENCH_REPORT_CLICKS ?? 1_000_000);
const DAY = 86_400_000;
const LINKS = ['spring-fb', 'spring-ig', 'keto-native', 'keto-search', 'retarget'];
const PRODUCTS = ['ketoburn', 'slimtea', 'glowserum'];
const ACCOUNT = 'saturated';

/** A small deterministic generator, so every run writes the same figures. */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

// The service's clients count the read units of every request (ConsumedCapacity), as `npm run bench` does.
const tally = new Tally();
instrumentClients((name) => countingMiddleware(tally, 'service', name, 65_536));
const service = await startLocalService();
const interrupt = () => void service.stop().finally(() => process.exit(130));
process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
try {
  const [{ createDocumentClient }, { keys }, aggregates, { WRITE_SHARDS }] = await Promise.all([
    import('../functions/adapters/clients'),
    import('../functions/adapters/dynamo-keys'),
    import('../functions/domain/aggregates'),
    import('../functions/domain/shards'),
  ]);
  const { bucketId, countFigure, SLOTS_PER_DAY } = aggregates;
  type Contribution = import('../functions/domain/aggregates').Contribution;
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${service.url}/v1/accounts/${ACCOUNT}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  };
  await api('PUT', '/merchants/m-demo', { name: 'Demo Labs', paymentGateway: 'buygoods', settings: {} });
  for (const productId of PRODUCTS)
    await api('PUT', `/products/${productId}`, {
      name: productId,
      merchantId: 'm-demo',
      fulfillmentProvider: 'buygoods',
      productCodename: productId,
      settings: {},
    });
  for (const [index, linkId] of LINKS.entries())
    await api('PUT', `/links/${linkId}`, {
      name: linkId,
      destinationUrl: `https://offers.example.com/${linkId}`,
      campaign: index < 2 ? 'spring' : index < 4 ? 'keto' : null,
    });

  // CLICKS a month over 31 UTC days, 5 links, 8 shards and 96 quarter-hours (1 M: about 84 a quarter-hour
  // in each traffic bucket), 60% with a page view; 3% of clicks buy (a 20% upsell, 10% refunded): each
  // quarter-hour's count drawn around its mean, so at 10 k clicks most quarter-hours stay empty.
  const rand = generator(1);
  const poisson = (mean: number) => {
    if (mean > 30)
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * (rand() + rand() + rand() - 1.5) * 2));
    let count = 0;
    for (let p = rand(); p > Math.exp(-mean); p *= rand()) count++;
    return count;
  };
  const perTrafficSlot = clicks / (31 * LINKS.length * WRITE_SHARDS * SLOTS_PER_DAY);
  const perSalesSlot = (clicks * 0.03) / (31 * LINKS.length * PRODUCTS.length * SLOTS_PER_DAY);
  const now = Date.now();
  const contribution: Contribution = {};
  const today = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00.000Z`);
  for (let dayMs = today - 30 * DAY; dayMs <= today; dayMs += DAY) {
    const day = new Date(dayMs).toISOString().slice(0, 10);
    for (const linkId of LINKS) {
      for (let slot = 0; slot < SLOTS_PER_DAY; slot++) {
        for (let shard = 0; shard < WRITE_SHARDS; shard++) {
          const ref = (figure: 'clicks' | 'pageviews') =>
            ({ kind: 'traffic', figure, day, linkId, shard }) as const;
          countFigure(contribution, ref('clicks'), 'clicks', slot, false, poisson(perTrafficSlot));
          countFigure(
            contribution,
            ref('pageviews'),
            'pageviews',
            slot,
            false,
            poisson(perTrafficSlot * 0.6),
          );
        }
        for (const productId of PRODUCTS) {
          const sales = poisson(perSalesSlot);
          if (sales === 0) continue;
          const ref = { kind: 'sales', day, linkId, productId } as const;
          const commission = sales * (1800 + Math.floor(rand() * 3400));
          const upsells = poisson(sales * 0.2);
          const refunds = poisson(sales * 0.1);
          for (const saleBasis of [false, true]) {
            countFigure(contribution, ref, 'purchases', slot, saleBasis, sales);
            countFigure(contribution, ref, 'grossCommissionCents', slot, saleBasis, commission);
            countFigure(contribution, ref, 'netCommissionCents', slot, saleBasis, commission);
            countFigure(contribution, ref, 'upsells', slot, saleBasis, upsells);
            countFigure(contribution, ref, 'refunds', slot, saleBasis, refunds);
            countFigure(contribution, ref, 'netCommissionCents', slot, saleBasis, -refunds * 2500);
          }
        }
      }
    }
  }
  const client = createDocumentClient();
  const items = Object.entries(contribution).map(([id, attributes]) => {
    return { ...keys.aggregateBucket(ACCOUNT, id), entity: 'aggregate', ...attributes };
  });
  const writeStarted = Date.now();
  for (let start = 0; start < items.length; start += 25) {
    let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const result = await client.send(
        new BatchWriteCommand({ RequestItems: { [service.resources.tableName]: requests } }),
      );
      requests = (result.UnprocessedItems?.[service.resources.tableName] ?? []) as typeof requests;
    }
  }
  const attributes = items.reduce((total, item) => total + Object.keys(item).length - 3, 0);
  process.stderr.write(
    `wrote ${items.length} bucket items (${attributes} figure attributes) in ${Date.now() - writeStarted} ms\n`,
  );
  // An item's size by DynamoDB's rules: each name's UTF-8 bytes plus its value's (a number: about one byte
  // per two significant digits, plus one).
  const sizeOf = (item: Record<string, unknown>) =>
    Object.entries(item).reduce(
      (total, [name, value]) =>
        total +
        Buffer.byteLength(name) +
        (typeof value === 'number'
          ? Math.ceil(String(Math.abs(value)).replace(/^0+/, '').length / 2) + 1
          : Buffer.byteLength(String(value))),
      0,
    );
  for (const kind of ['T', 'S'])
    process.stdout.write(
      `${kind === 'T' ? 'traffic' : 'sales'} bucket items: largest ${Math.max(
        ...items.filter((item) => item.sk.slice(11, 12) === kind).map(sizeOf),
      )} bytes\n`,
    );

  const iso = (ms: number) => new Date(ms).toISOString();
  const month = `from=${iso(now - 30 * DAY)}&to=${iso(now)}`;
  const reads: Array<[string, string]> = [
    ['link report, 30 days', month],
    ['link report, 1 day', `from=${iso(now - DAY)}&to=${iso(now)}`],
    ['daily series, 30 days, UTC', `${month}&groupBy=day&tz=UTC`],
    ['daily series, 30 days, New York', `${month}&groupBy=day&tz=America/New_York`],
    [
      'products by sale date, 30 days, Kathmandu',
      `${month}&groupBy=product&dateBasis=sale&tz=Asia/Kathmandu`,
    ],
  ];
  const lines: string[] = [];
  const bodies: Record<string, string> = {};
  let stage = 'shards';
  const cpuOf = (spent: Map<string, number>, process: string) =>
    [...spent].filter(([key]) => key.startsWith(process)).reduce((total, [, ms]) => total + ms, 0);
  const measure = async (name: string, read: () => Promise<void>) => {
    const times: number[] = [];
    const service: number[] = [];
    const dynamo: number[] = [];
    let readUnits = 0;
    for (let run = 0; run < runs + 2; run++) {
      const units = tally.snapshot();
      const cpu = sampleCpu();
      const started = performance.now();
      await read();
      const took = performance.now() - started;
      const spent = cpuBetween(cpu, sampleCpu());
      readUnits = tally.since(units).get('rru:service') ?? 0;
      if (run < 2) continue;
      times.push(took);
      service.push(cpuOf(spent, 'bench'));
      dynamo.push(cpuOf(spent, 'java'));
    }
    lines.push(
      `| ${name} | ${stage} | ${round(median(times), 1)} ms | ${round(median(service))} ms | ${round(median(dynamo))} ms | ${readUnits} |`,
    );
  };
  const { DynamoAggregateRepository } = await import('../functions/adapters/dynamo-aggregate-repository');
  const { DynamoCatalogRepository } = await import('../functions/adapters/dynamo-catalog-repository');
  const { getLinkReport } = await import('../functions/use-cases/get-link-report');
  const { rollUpDays } = await import('../functions/use-cases/roll-up-days');
  const table = service.resources.tableName;
  const deps = {
    aggregates: new DynamoAggregateRepository(client, table),
    catalog: new DynamoCatalogRepository(client, table),
  };
  const measureAll = async () => {
    for (const [name, query] of reads)
      await measure(name, async () => {
        const response = await fetch(`${service.url}/v1/accounts/${ACCOUNT}/reports/links?${query}`);
        const text = await response.text();
        if (response.status !== 200) throw new Error(`${name}: ${response.status} ${text.slice(0, 300)}`);
        if (stage === 'rolled' && bodies[name] !== text)
          throw new Error(`${name}: the answer changed when the days were rolled`);
        bodies[name] = text;
      });
    // The same 30-day report, split: the bucket read, then the arithmetic, in this process.
    await measure('getLinkReport in process, 30 days', async () => {
      await getLinkReport(deps, ACCOUNT, { from: iso(now - 30 * DAY), to: iso(now) });
    });
  };
  await measureAll();
  // The roll-ups the aggregator runs as the account's traffic reaches today and then each 3-hour turn of
  // it: the 30 finished days and the day so far (right after a turn; just before the next, today's shard
  // items would hold 3 hours of quarter-hours besides).
  const units = tally.snapshot();
  const rollStarted = performance.now();
  const rolled = await rollUpDays(deps, ACCOUNT, new Date(today + DAY).toISOString().slice(0, 10));
  const rollMs = performance.now() - rollStarted;
  const rollUnits = tally.since(units);
  process.stdout.write(
    `roll-up of ${rolled.days.length} days (the finished ones and today so far): ${rolled.sources} shard items into ${rolled.rolled} ` +
      `rolled items in ${round(rollMs)} ms; ${rollUnits.get('wru:service') ?? 0} write units ` +
      `(${round((rollUnits.get('wru:service') ?? 0) / rolled.rolled, 1)} per rolled item), ` +
      `${rollUnits.get('rru:service') ?? 0} read units\n`,
  );
  stage = 'rolled';
  await measureAll();
  process.stdout.write(
    [
      `| read (saturated buckets), median of ${runs} | traffic in | time | CPU, service | CPU, DynamoDB Local | read units |`,
      '|---|---|---|---|---|---|',
      ...lines,
    ].join('\n') + '\n',
  );

  // One more click into a saturated traffic bucket, one more sale into a sales bucket: what an ADD costs.
  const probe = async (id: string, delta: Contribution) => {
    const attributes = Object.entries(delta[id]!);
    const result = await client.send(
      new UpdateCommand({
        TableName: service.resources.tableName,
        Key: keys.aggregateBucket(ACCOUNT, id),
        UpdateExpression: `ADD ${attributes.map((_, index) => `#a${index} :a${index}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(attributes.map(([name], index) => [`#a${index}`, name])),
        ExpressionAttributeValues: Object.fromEntries(
          attributes.map(([, amount], index) => [`:a${index}`, amount]),
        ),
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return result.ConsumedCapacity?.CapacityUnits;
  };
  const day = new Date(today).toISOString().slice(0, 10);
  const trafficRef = { kind: 'traffic', figure: 'clicks', day, linkId: LINKS[0]!, shard: 0 } as const;
  const salesRef = { kind: 'sales', day, linkId: LINKS[0]!, productId: PRODUCTS[0]! } as const;
  const click: Contribution = {};
  countFigure(click, trafficRef, 'clicks', 40, false, 1);
  const sale: Contribution = {};
  for (const figure of ['purchases', 'grossCommissionCents', 'netCommissionCents'] as const)
    for (const saleBasis of [false, true]) countFigure(sale, salesRef, figure, 40, saleBasis, 2000);
  process.stdout.write(
    `write units of one more click into a saturated traffic bucket: ${await probe(bucketId(trafficRef), click)}; ` +
      `of one more sale into a sales bucket: ${await probe(bucketId(salesRef), sale)}\n`,
  );
  if (process.env.BENCH_REPORT_BODIES)
    (await import('node:fs')).writeFileSync(process.env.BENCH_REPORT_BODIES, JSON.stringify(bodies));
} finally {
  await service.stop();
}
process.exit(0);
