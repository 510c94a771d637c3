/**
 * `npm run bench:traffic`: what a click and a page view cost in DynamoDB write units, measured. `npm run
 * bench` measures the postbacks' write units; traffic has no postback, so it is measured here: clicks
 * through the click redirect and page views through the pixel, in phases of BENCH_TRAFFIC_COUNT (default
 * 200) at a time, each phase until the aggregator has counted all of them in the report, with the same SDK
 * counter as the benchmark (ConsumedCapacity of every write, indexes included). Exact whatever the
 * machine's load; not part of CI.
 */
import { instrumentClients } from '../functions/adapters/clients';
import { startLocalService, type LocalService } from '../local/service';
import { countingMiddleware, Tally } from './counters';
import { round } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const COUNT = Number(process.env.BENCH_TRAFFIC_COUNT ?? 200);
const ACCOUNT = 'traffic-bench';

async function api(
  service: LocalService,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${service.url}/v1/accounts/${ACCOUNT}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = (await response.json()) as Record<string, unknown>;
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(payload)}`);
  return payload;
}

async function reportTotals(service: LocalService): Promise<{ clicks: number; pageviews: number }> {
  const range = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
  const rows = (await api(service, 'GET', `/reports/links?${range}`)).rows as Array<{
    clicks: number;
    pageviews: number;
  }>;
  return rows.reduce(
    (sum, row) => ({ clicks: sum.clicks + row.clicks, pageviews: sum.pageviews + row.pageviews }),
    { clicks: 0, pageviews: 0 },
  );
}

async function until(what: string, done: () => Promise<boolean>) {
  for (const deadline = Date.now() + 300_000; !(await done());) {
    if (Date.now() > deadline) throw new Error(`${what}: not done within 5 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const tally = new Tally();
// Before the service imports the handlers: their clients are created at module scope.
instrumentClients((name) => countingMiddleware(tally, 'service', name, 65_536));
const service = await startLocalService();
try {
  await api(service, 'PUT', '/links/bench-link', {
    name: 'bench',
    destinationUrl: 'https://offers.example.com/x',
    campaign: 'bench',
  });
  await api(service, 'PUT', '/merchants/bench-merchant', {
    name: 'Bench',
    paymentGateway: 'buygoods',
    settings: {},
  });
  let pixel: string | undefined;
  await until('the merchant pixels', async () => {
    pixel = ((await api(service, 'GET', '/pixels')).pixels as Array<{ pixelId: string; event: string }>).find(
      (p) => p.event === 'pageview',
    )?.pixelId;
    return pixel !== undefined;
  });

  const before = tally.snapshot();
  const clickIds: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const response = await fetch(`${service.url}/v1/click/bench-link`, { redirect: 'manual' });
    clickIds.push(new URL(response.headers.get('location')!).searchParams.get('subid')!);
  }
  await until('clicks counted', async () => (await reportTotals(service)).clicks >= COUNT);
  const clicks = tally.since(before);

  const beforeViews = tally.snapshot();
  for (const clickId of clickIds)
    await fetch(`${service.url}/v1/pixel/${pixel}?event=pageview&click_id=${clickId}`);
  await until('page views counted', async () => (await reportTotals(service)).pageviews >= COUNT);
  const views = tally.since(beforeViews);

  // The report reads in the waits are reads; writes are only the recording and the counting.
  const result = {
    count: COUNT,
    writeUnitsPerClick: round(clicks.writeUnits() / COUNT, 2),
    writeUnitsPerPageView: round(views.writeUnits() / COUNT, 2),
    clickPutUnitsByItem: Object.fromEntries(
      clicks.entries('wruItem').map(([key, units]) => [key, round(units / COUNT, 2)]),
    ),
    pageViewPutUnitsByItem: Object.fromEntries(
      views.entries('wruItem').map(([key, units]) => [key, round(units / COUNT, 2)]),
    ),
    clickWrites: Object.fromEntries(
      clicks
        .entries('calls')
        .filter(([key]) => /(PutItem|UpdateItem|TransactWriteItems|BatchWriteItem)$/.test(key))
        .map(([key, calls]) => [key, calls]),
    ),
    pageViewWrites: Object.fromEntries(
      views
        .entries('calls')
        .filter(([key]) => /(PutItem|UpdateItem|TransactWriteItems|BatchWriteItem)$/.test(key))
        .map(([key, calls]) => [key, calls]),
    ),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await service.stop();
}
