/** Starting a bulk replay: the rules of the start call (replay-job.test.ts follows jobs to the end). */
import { ServiceUnavailableError } from '../../../functions/domain/errors';
import { startReplayJob } from '../../../functions/use-cases/start-replay-job';
import { postback } from '../../contracts/records';
import {
  CollectingJobQueue,
  CountingRandom,
  FixedClock,
  InMemoryLedger,
  InMemoryPostbackFinder,
  InMemoryReplayJobs,
} from '../../support/fakes';

async function setup() {
  const ledger = new InMemoryLedger();
  const rejected = (receivedAt: string, accountId = 'acme') =>
    ledger.putPostback(
      postback(accountId, receivedAt, {
        outcome: 'rejected',
        error: { code: 'order_id_missing', message: 'm' },
      }),
    );
  await rejected('2026-11-30T10:00:00.000Z');
  await rejected('2026-12-01T10:00:00.000Z');
  await rejected('2026-12-01T11:00:00.000Z', 'other');
  await ledger.putPostback(postback('acme', '2026-12-01T10:30:00.000Z'));
  const deps = {
    postbackFinder: new InMemoryPostbackFinder(ledger),
    replayJobs: new InMemoryReplayJobs(),
    replayJobQueue: new CollectingJobQueue(),
    clock: new FixedClock(new Date('2026-12-02T12:00:00.000Z')),
    random: new CountingRandom(),
  };
  return { deps, jobs: deps.replayJobs, queue: deps.replayJobQueue };
}

describe('starting a bulk replay', () => {
  test("stores a queued job counting the account's matches, under a new rj_ id, and asks for its first page", async () => {
    const { deps, jobs, queue } = await setup();
    const job = await startReplayJob(deps, 'acme', { outcome: 'rejected' });
    const jobId = `rj_${Date.parse('2026-12-02T12:00:00.000Z').toString(36).padStart(10, '0')}${'0'.repeat(14)}01`;
    expect(job).toMatchObject({
      jobId,
      accountId: 'acme',
      state: 'queued',
      matched: 2,
      matchedExact: true,
      filter: { outcome: 'rejected', issue: null, from: null, to: '2026-12-02T12:00:00.000Z' },
      createdAt: '2026-12-02T12:00:00.000Z',
    });
    expect(await jobs.getJob('acme', jobId)).toEqual(job);
    expect(queue.messages).toEqual([{ v: 1, type: 'replay_job', accountId: 'acme', jobId, page: 0 }]);
  });

  test('a range is kept as given when it ends before the start, and closed at the start when it does not', async () => {
    const { deps } = await setup();
    const past = await startReplayJob(deps, 'acme', { from: '2026-12-01', to: '2026-12-01T23:00:00Z' });
    expect(past).toMatchObject({
      matched: 2,
      filter: { from: '2026-12-01T00:00:00.000Z', to: '2026-12-01T23:00:00.000Z' },
    });
    const open = await startReplayJob(deps, 'acme', { from: '2026-12-01', to: '2027-01-01' });
    expect(open.filter.to).toBe('2026-12-02T12:00:00.000Z');
  });

  test('a filter by issue code counts the postbacks whose error or issues name it', async () => {
    const { deps } = await setup();
    expect((await startReplayJob(deps, 'acme', { issue: ' order_id_missing ' })).matched).toBe(2);
  });

  test('no body is a replay of everything up to now', async () => {
    const { deps } = await setup();
    expect(await startReplayJob(deps, 'acme', undefined)).toMatchObject({
      matched: 3,
      filter: { outcome: null, issue: null, from: null },
    });
  });

  test('nothing matched: the job is done at once and no page is asked for', async () => {
    const { deps, queue } = await setup();
    const job = await startReplayJob(deps, 'empty', { outcome: 'rejected' });
    expect(job).toMatchObject({ state: 'done', matched: 0, finishedAt: '2026-12-02T12:00:00.000Z' });
    expect(queue.messages).toEqual([]);
  });

  test.each([
    [{ outcome: 'pending' }, 'outcome'],
    [{ outcome: 'everything' }, 'outcome'],
    [{ issue: 'Order Id' }, 'issue'],
    [{ from: 'last week' }, 'from'],
    [{ from: '2026-12-01T00:00:00Z', to: '2026-11-30T23:59:59Z' }, 'to'],
  ])('%j is refused on its field, and no job is stored', async (body, field) => {
    const { deps, jobs } = await setup();
    const error = await startReplayJob(deps, 'acme', body).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, message: 'The replay filter is not valid' });
    expect(Object.keys((error as { fields: object }).fields)).toEqual([field]);
    expect(jobs.jobs.size).toBe(0);
  });

  test('the issue refusal says what an issue code looks like', async () => {
    const { deps } = await setup();
    await expect(startReplayJob(deps, 'acme', { issue: 'Bad!' })).rejects.toMatchObject({
      fields: { issue: ['must be an issue code such as product_unknown'] },
    });
  });

  test('two jobs started at the same instant get distinct ids', async () => {
    const { deps } = await setup();
    const [a, b] = [await startReplayJob(deps, 'acme', {}), await startReplayJob(deps, 'acme', {})];
    expect(a.jobId).not.toBe(b.jobId);
  });

  test('a job the queue would not take is marked failed, then the 503 is passed on', async () => {
    const { deps, jobs } = await setup();
    const refusing = {
      ...deps,
      replayJobQueue: { enqueue: async () => Promise.reject(new ServiceUnavailableError()) },
    };
    await expect(startReplayJob(refusing, 'acme', {})).rejects.toBeInstanceOf(ServiceUnavailableError);
    const [job] = [...jobs.jobs.values()];
    expect(job).toMatchObject({
      state: 'failed',
      version: 2,
      error: 'the job queue was unavailable; start the job again',
    });
  });
});
