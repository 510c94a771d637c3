/**
 * The bulk replay job over in-memory ports: pages until done, a crash right after a batch was sent, late
 * and duplicate job messages, a count that ran out of time, and the filter closed at the start.
 */
import type { PostbackMessage } from '../../../functions/domain/postback-log';
import { recordPostback } from '../../../functions/use-cases/record-postback';
import {
  runReplayJobPage,
  type ReplayWorkerDependencies,
} from '../../../functions/use-cases/run-replay-job-page';
import {
  startReplayJob,
  type StartReplayJobDependencies,
} from '../../../functions/use-cases/start-replay-job';
import { postbackMessage } from '../../support/factories';
import {
  CollectingBatchPublisher,
  CollectingJobQueue,
  CountingRandom,
  FixedClock,
  InMemoryAggregates,
  InMemoryCatalog,
  InMemoryLedger,
  InMemoryPostbackFinder,
  InMemoryReplayJobs,
  InMemoryTraffic,
} from '../../support/fakes';

async function setUp(rejected: number) {
  const ledger = new InMemoryLedger();
  const catalog = new InMemoryCatalog();
  const clock = new FixedClock(new Date('2026-12-01T12:00:00.000Z'));
  const random = new CountingRandom();
  const originals: PostbackMessage[] = [];
  for (let index = 0; index < rejected; index++) {
    const message = postbackMessage({
      accountId: 'acct-job',
      query: { orderid: '{ORDERID}', subid: `c${index}` },
      receivedAt: new Date(Date.parse('2026-11-30T00:00:00.000Z') + index * 1000),
    });
    originals.push(message);
    await recordPostback(
      {
        ledger,
        catalog,
        traffic: new InMemoryTraffic(catalog),
        aggregates: new InMemoryAggregates(ledger),
        clock,
        random,
      },
      message,
    );
  }
  const finder = new InMemoryPostbackFinder(ledger);
  const deps: ReplayWorkerDependencies & StartReplayJobDependencies = {
    postbackFinder: finder,
    replayJobs: new InMemoryReplayJobs(),
    replayJobQueue: new CollectingJobQueue(),
    batchPublisher: new CollectingBatchPublisher(),
    clock,
    random,
  };
  return {
    ledger,
    finder,
    clock,
    originals,
    deps,
    queue: deps.replayJobQueue as CollectingJobQueue,
    publisher: deps.batchPublisher as CollectingBatchPublisher,
  };
}

/** Delivers job messages one at a time, as the job queue would, until none is left. */
async function drain(deps: ReplayWorkerDependencies, queue: CollectingJobQueue) {
  let delivered = 0;
  while (queue.messages.length > 0) {
    const message = queue.messages.shift()!;
    try {
      await runReplayJobPage(deps, message);
    } catch {
      queue.messages.push(message); // a failed invocation: the message comes back
    }
    if (++delivered > 100) throw new Error('the job never finished');
  }
}

const sentReplays = (publisher: CollectingBatchPublisher) => publisher.batches.flat();

test('a job replays every match once, a page of 100 at a time in batches of 10, and ends done with the exact count', async () => {
  const { originals, deps, queue, publisher } = await setUp(250);
  const job = await startReplayJob(deps, 'acct-job', { outcome: 'rejected' });
  expect(job).toMatchObject({ state: 'queued', matched: 250, matchedExact: true });
  await drain(deps, queue);
  const done = await deps.replayJobs.getJob('acct-job', job.jobId);
  expect(done).toMatchObject({ state: 'done', matched: 250, sent: 250, failed: 0, page: 3, pageSent: [] });
  expect(publisher.batches.every((batch) => batch.length <= 10)).toBe(true);
  expect(
    sentReplays(publisher)
      .map((message) => message.replayOf)
      .sort(),
  ).toEqual(originals.map((message) => message.postbackId).sort());
});

test('a crash right after a batch was sent resends that batch with the same replay ids, and nothing else', async () => {
  const { originals, deps, queue, publisher } = await setUp(250);
  publisher.afterBatch = (batch) => {
    if (batch === 14) throw Object.assign(new Error('worker died'), { name: 'TimeoutError' });
  };
  await startReplayJob(deps, 'acct-job', { outcome: 'rejected' });
  await drain(deps, queue);
  const replays = sentReplays(publisher);
  expect(replays).toHaveLength(260); // one batch of ten twice
  const ids = new Map<string, Set<string>>();
  for (const replay of replays)
    ids.set(replay.replayOf!, (ids.get(replay.replayOf!) ?? new Set()).add(replay.postbackId));
  expect(ids.size).toBe(originals.length);
  expect([...ids.values()].every((set) => set.size === 1)).toBe(true); // the resent ones carry their first ids
  expect(publisher.batches[13]).toEqual(publisher.batches[14]);
});

test('a late or duplicate job message for a page the job has left is dropped', async () => {
  const { deps, queue, publisher } = await setUp(150);
  const job = await startReplayJob(deps, 'acct-job', { outcome: 'rejected' });
  const first = queue.messages[0]!;
  await drain(deps, queue);
  const sent = publisher.batches.length;
  expect(await runReplayJobPage(deps, first)).toMatchObject({ status: 'stale' });
  expect(await runReplayJobPage(deps, { ...first, page: 1 })).toMatchObject({ status: 'stale' });
  expect(publisher.batches.length).toBe(sent);
  expect((await deps.replayJobs.getJob('acct-job', job.jobId))!.sent).toBe(150);
});

test('a count out of time gives a lower bound the job makes exact', async () => {
  const { deps, queue, finder } = await setUp(120);
  finder.countLimit = 30;
  const job = await startReplayJob(deps, 'acct-job', { outcome: 'rejected' });
  expect(job).toMatchObject({ matched: 30, matchedExact: false });
  await drain(deps, queue);
  expect(await deps.replayJobs.getJob('acct-job', job.jobId)).toMatchObject({
    state: 'done',
    matched: 120,
    matchedExact: true,
    sent: 120,
  });
});

test('the filter is closed at the start (the job never finds its own replays), filters by issue, and nothing matched is done at once', async () => {
  const { deps, clock, queue } = await setUp(5);
  clock.advance(60_000);
  const later = await startReplayJob(deps, 'acct-job', { outcome: 'rejected', to: '2099-01-01T00:00:00Z' });
  expect(later.filter.to).toBe(clock.now().toISOString());
  const byIssue = await startReplayJob(deps, 'acct-job', { issue: 'no_such_issue' });
  expect(byIssue).toMatchObject({ state: 'done', matched: 0, finishedAt: expect.any(String) });
  expect(queue.messages.filter((message) => message.jobId === byIssue.jobId)).toEqual([]);
  await expect(startReplayJob(deps, 'acct-job', { outcome: 'pending' })).rejects.toMatchObject({
    status: 422,
  });
});

test('a job the queue would not take is marked failed and the call answers 503', async () => {
  const { deps } = await setUp(3);
  const refusing = {
    ...deps,
    replayJobQueue: {
      enqueue: async () =>
        Promise.reject(new (await import('../../../functions/domain/errors')).ServiceUnavailableError()),
    },
  };
  await expect(startReplayJob(refusing, 'acct-job', { outcome: 'rejected' })).rejects.toMatchObject({
    status: 503,
  });
  const [job] = [...(deps.replayJobs as InMemoryReplayJobs).jobs.values()];
  expect(job).toMatchObject({
    state: 'failed',
    error: expect.stringContaining('job queue'),
    finishedAt: expect.any(String),
  });
});
