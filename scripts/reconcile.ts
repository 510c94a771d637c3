/**
 * Reconcile: recomputes a range's report aggregates from the raw items, prints the drift, and with --fix
 * repairs it (see functions/use-cases/reconcile-aggregates.ts).
 *
 *   npm run reconcile -- --account A --from 2026-11-01 --to 2026-11-30 [--fix]
 *
 * Whole UTC days from --from to --to (dates or date-times). Locally it reaches the `npm start` running on
 * PORT (default 3000); with LEDGER_TABLE_NAME set (and AWS credentials) it works on that table in AWS.
 * Exits 1 when drift remains, so it can run in a check.
 */
import { parseArgs } from 'node:util';
import { ENV } from '../lib/resources';
import { readLocalState } from '../local/state-file';

export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      account: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      fix: { type: 'boolean', default: false },
    },
  });
  const day = (value: string | undefined, name: string) => {
    if (!value || Number.isNaN(Date.parse(value)))
      throw new Error(`--${name} must be a date (YYYY-MM-DD) or an ISO date-time`);
    return new Date(value).toISOString().slice(0, 10);
  };
  if (!values.account) throw new Error('--account is required');
  const fromDay = day(values.from, 'from');
  const toDay = day(values.to, 'to');
  if (fromDay > toDay) throw new Error('--from must not be after --to');

  if (!process.env[ENV.ledgerTable]) {
    const local = readLocalState(Number(process.env.PORT ?? 3000));
    Object.assign(process.env, {
      [ENV.ledgerTable]: local.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: local.dynamoEndpoint,
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const [{ aggregateDependencies, ledgerRepository }, { reconcileAggregates }] = await Promise.all([
    import('../functions/adapters/wiring'),
    import('../functions/use-cases/reconcile-aggregates'),
  ]);
  const started = Date.now();
  const result = await reconcileAggregates(
    { ...aggregateDependencies(), ledger: ledgerRepository() },
    values.account,
    { fromDay, toDay },
    { fix: values.fix ?? false },
  );
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(
    `account ${values.account}, ${fromDay} to ${toDay} (UTC days): ${result.clicks} clicks, ${result.pageviews} page views, ${result.orders} orders, ${result.buckets} stored buckets`,
  );
  const show = (drift: typeof result.drift) =>
    drift
      .slice(0, 50)
      .forEach((d) => print(`  ${d.bucket} ${d.attribute}: stored ${d.stored}, expected ${d.expected}`));
  if (result.repaired) {
    print(`drift found: ${result.repaired.length}; repaired`);
    show(result.repaired);
  }
  print(`drift: ${result.drift.length}`);
  show(result.drift);
  print(`took ${Date.now() - started} ms`);
  return result.drift.length === 0 ? 0 : 1;
}

if (process.argv[1]?.endsWith('reconcile.ts')) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`reconcile: ${error.message}\n`);
      process.exit(2);
    },
  );
}
