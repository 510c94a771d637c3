/**
 * A read of the aggregates is one snapshot while roll-ups commit (DynamoAggregateRepository.listBuckets),
 * on DynamoDB Local: the in-memory fake reads and rolls atomically, so only the real engine has the moment
 * between two queries of one read in which a roll-up's transaction can move a group from the written
 * partitions into the rolled ones.
 *
 * The first tests run each read's requests one at a time, in the order sent, and commit a roll-up after the
 * n-th, for every n: every moment a roll-up can land in, each checked to count every figure once (the read
 * before this fix counted a group twice or missed it at most of these cuts). The last runs reads while a
 * roll-up of many groups runs beside them, unordered.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAggregateRepository } from '../../functions/adapters/dynamo-aggregate-repository';
import {
  bucketId,
  countFigure,
  dayTotalsOf,
  foldRolled,
  parseBucketId,
  sumContributions,
  trafficContribution,
  type Contribution,
} from '../../functions/domain/aggregates';
import type { StoredBucket } from '../../functions/domain/link-report';
import { rollUpDays } from '../../functions/use-cases/roll-up-days';
import { createContractTable, type ContractTable } from '../support/contract-table';

let table: ContractTable;
beforeAll(async () => {
  table = await createContractTable('snapshot');
}, 60_000);
afterAll(async () => {
  await table?.drop();
});

const FIRST_DAY = '2026-11-20';
const DAYS = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23'];
/** Read: the first and last day by quarter-hours (edge days), the two between whole (day totals). */
const WHOLE = [{ from: '2026-11-21', to: '2026-11-22' }];
const ROLL_BEFORE = '2026-11-23';

/** A rolled day's sales of another product, alone in its group (the one whose day totals stay put). */
const P2_SALES = 'S|2026-11-20|l-1|p-2';
function sale(productId: string, slot: number, amount: number): Contribution {
  const contribution: Contribution = {};
  countFigure(
    contribution,
    { kind: 'sales', day: FIRST_DAY, linkId: 'l-1', productId },
    'purchases',
    slot,
    false,
    amount,
  );
  return contribution;
}

const minute = (index: number) => String(index % 60).padStart(2, '0');

/** Clicks on every shard and page views of two links, and purchases of a product, on each day; `extra` more. */
function traffic(links: readonly string[], extra = 0): Contribution {
  const parts: Contribution[] = [];
  for (const [dayIndex, day] of DAYS.entries())
    for (const [linkIndex, linkId] of links.entries()) {
      for (let shard = 0; shard < 8; shard++)
        parts.push(
          trafficContribution(
            'clicks',
            `${day}T0${(shard + extra) % 10}:${minute(linkIndex)}:00.000Z`,
            linkId,
            shard,
          ),
        );
      parts.push(
        trafficContribution('pageviews', `${day}T23:5${dayIndex}:00.000Z`, linkId, (linkIndex + extra) % 8),
      );
      const sale: Contribution = {};
      const ref = { kind: 'sales', day, linkId, productId: 'p-1' } as const;
      countFigure(sale, ref, 'purchases', 40 + dayIndex + extra, false, 1 + linkIndex);
      countFigure(sale, ref, 'grossCommissionCents', 40 + dayIndex + extra, false, 1_000 + extra);
      parts.push(sale);
    }
  return sumContributions(parts);
}

/**
 * What the read must find of what was written: per rolled bucket (folded, so it holds wherever the figures
 * sit), every figure on the edge days, the day totals alone on the whole ones.
 */
function expected(written: Contribution): Contribution {
  const folded = foldRolled(written);
  const edge = Object.fromEntries(Object.entries(folded).filter(([id]) => !isWhole(parseBucketId(id).day)));
  const whole = dayTotalsOf(
    Object.fromEntries(Object.entries(folded).filter(([id]) => isWhole(parseBucketId(id).day))),
  );
  return sorted({ ...edge, ...whole });
}
const isWhole = (day: string) => WHOLE.some(({ from, to }) => from <= day && day <= to);
const found = (buckets: readonly StoredBucket[]) =>
  sorted(
    foldRolled(
      sumContributions(buckets.map((bucket) => ({ [bucketId(bucket.ref)]: { ...bucket.attributes } }))),
    ),
  );
function sorted(contribution: Contribution): Contribution {
  return Object.fromEntries(
    Object.entries(contribution)
      .filter(([, attributes]) => Object.values(attributes).some((value) => value !== 0))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, attributes]) => [
        id,
        Object.fromEntries(
          Object.entries(attributes)
            .filter(([, value]) => value !== 0)
            .sort(([a], [b]) => a.localeCompare(b)),
        ),
      ]),
  );
}

/**
 * The table's client, sending one request at a time in the order they are sent; `cut(n)` runs after the
 * n-th request is answered, before the next is sent (n = 0: before the first).
 */
function serialClient(cut: (answered: number) => Promise<void>): DynamoDBDocumentClient {
  let answered = 0;
  let queue: Promise<unknown> = cut(0);
  const send = (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
    const run = queue.then(async () => {
      const result = await table.client.send(command as never);
      await cut(++answered);
      return result;
    });
    queue = run.catch(() => undefined);
    return run;
  };
  return new Proxy(table.client, {
    get: (target, property, receiver) =>
      property === 'send' ? send : Reflect.get(target, property, receiver),
  });
}

const direct = () => new DynamoAggregateRepository(table.client, table.tableName);
const read = (aggregates: DynamoAggregateRepository, accountId: string) =>
  aggregates.listBuckets(accountId, FIRST_DAY, DAYS.at(-1)!, WHOLE);
const roll = (accountId: string) => rollUpDays({ aggregates: direct() }, accountId, ROLL_BEFORE);

describe.each([
  ['nothing rolled yet: the roll-up creates the rolled buckets and their day-totals items', false],
  ['days rolled before and written to since (late clicks and sales): the roll-up adds to them', true],
])('a roll-up committing between any two requests of a read, %s', (_, rolledBefore) => {
  const links = ['l-1', 'l-2'];
  async function prepare(accountId: string): Promise<Contribution> {
    const aggregates = direct();
    const first = sumContributions([traffic(links), sale('p-2', 20, 1)]);
    await aggregates.addToBuckets(accountId, first);
    if (!rolledBefore) return first;
    await roll(accountId);
    // Late clicks and sales, and a sale that only moved between quarter-hours (its day totals do not move:
    // the roll-up must still mark its group's day-totals item).
    const late = sumContributions([traffic(links, 3), { [P2_SALES]: { p20: -1, p80: 1 } }]);
    await aggregates.addToBuckets(accountId, late);
    return sumContributions([first, late]);
  }
  /** What lands in the rolled days' groups after the roll-up (a read that sees the roll must find it too). */
  const afterRoll = () =>
    Object.fromEntries(
      Object.entries(traffic(links, 7)).filter(([id]) => parseBucketId(id).day < ROLL_BEFORE),
    );

  test('the read counts every figure once, at every cut', async () => {
    // An undisturbed read's requests: the cuts go one past them (a roll-up after the read).
    let requests = 0;
    await prepare('snapshot-count');
    await read(
      new DynamoAggregateRepository(
        serialClient(async (answered) => {
          requests = answered;
        }),
        table.tableName,
      ),
      'snapshot-count',
    );
    expect(requests).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (let at = 0; at <= requests; at++) {
      const accountId = `snapshot-${rolledBefore ? 'late' : 'fresh'}-${at}`;
      const before = await prepare(accountId);
      const after = sumContributions([before, afterRoll()]);
      let rolled = false;
      const aggregates = new DynamoAggregateRepository(
        serialClient(async (answered) => {
          if (answered !== at) return;
          const result = await roll(accountId);
          rolled = result.sources > 0;
          await direct().addToBuckets(accountId, afterRoll());
        }),
        table.tableName,
      );
      const buckets = await read(aggregates, accountId);
      expect(rolled).toBe(true);
      // A roll-up before the read's last request moves every group it reads, so they are all read again,
      // with what landed after it; one after the last request is not seen at all.
      const want = expected(at < requests ? after : before);
      if (JSON.stringify(found(buckets)) !== JSON.stringify(want)) wrong.push(`cut ${at}`);
      // And after it, the stored figures are the same, read by the plain client.
      expect(found(await read(direct(), accountId))).toEqual(expected(after));
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});

test('reads while a roll-up of many groups commits beside them: each read counts every figure once', async () => {
  const accountId = 'snapshot-concurrent';
  const links = Array.from({ length: 24 }, (_, index) => `link-${index}`);
  const written = traffic(links);
  await direct().addToBuckets(accountId, written);
  const want = expected(written);
  let done = false;
  const rolling = roll(accountId).finally(() => {
    done = true;
  });
  let reads = 0;
  const wrong: number[] = [];
  while (!done || reads === 0) {
    const buckets = await read(direct(), accountId);
    if (JSON.stringify(found(buckets)) !== JSON.stringify(want)) wrong.push(reads);
    reads++;
  }
  const result = await rolling;
  expect(result.complete).toBe(true);
  expect(result.sources).toBeGreaterThan(24 * 3 * 9);
  expect(wrong).toEqual([]);
  expect(found(await read(direct(), accountId))).toEqual(want);
}, 120_000);
