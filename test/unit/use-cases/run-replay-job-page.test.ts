/**
 * One page of a bulk replay: what replay-job.test.ts does not follow to the end — originals that cannot
 * be replayed, items the queue refuses, a vanished job, and a job the worker gives up on.
 */
import type { PostbackMessage } from '../../../functions/domain/postback-log';
import type { ReplayJobMessage } from '../../../functions/domain/replay-job';
import type { PostbackBatchPublisher } from '../../../functions/ports/postback-publisher';
import { failReplayJob, runReplayJobPage } from '../../../functions/use-cases/run-replay-job-page';
import { postback, replayJob } from '../../contracts/records';
import {
  CollectingBatchPublisher,
  CollectingJobQueue,
  FixedClock,
  InMemoryLedger,
  InMemoryPostbackFinder,
  InMemoryReplayJobs,
} from '../../support/fakes';

const JOB = 'rj_00mwvycsg0aaaaaaaaaaaaaaaa';
const message = (page = 0): ReplayJobMessage => ({
  v: 1,
  type: 'replay_job',
  accountId: 'acme',
  jobId: JOB,
  page,
});

async function setup(originals: Parameters<typeof postback>[2][]) {
  const ledger = new InMemoryLedger();
  for (const [index, overrides] of originals.entries())
    await ledger.putPostback(
      postback('acme', new Date(Date.parse('2026-12-01T00:00:00Z') + index * 1000).toISOString(), overrides),
    );
  const replayJobs = new InMemoryReplayJobs();
  await replayJobs.createJob(
    replayJob('acme', JOB, {
      matched: originals.length,
      filter: { outcome: null, issue: null, from: null, to: '2026-12-02T00:00:00.000Z' },
    }),
  );
  const deps = {
    postbackFinder: new InMemoryPostbackFinder(ledger),
    replayJobs,
    replayJobQueue: new CollectingJobQueue(),
    batchPublisher: new CollectingBatchPublisher(),
    clock: new FixedClock(new Date('2026-12-02T12:00:00.000Z')),
  };
  return { deps, replayJobs, publisher: deps.batchPublisher, queue: deps.replayJobQueue };
}
const oversized = { error: { code: 'uri_too_long', message: 'The URL is 9000 bytes' } };

describe('a page of a bulk replay', () => {
  test('an original kept only truncated is not replayed: counted failed, named in the result', async () => {
    const { deps, publisher, replayJobs } = await setup([{}, oversized, {}]);
    const result = await runReplayJobPage(deps, message());
    expect(publisher.batches.flat()).toHaveLength(2);
    expect(result.status).toBe('done');
    expect(result.failed).toEqual([{ postbackId: expect.stringMatching(/^pb_/), reason: 'not_replayable' }]);
    expect(await replayJobs.getJob('acme', JOB)).toMatchObject({
      state: 'done',
      sent: 2,
      failed: 1,
      matched: 3,
    });
  });

  test('items the queue refuses for good are failures of their originals, the rest sent', async () => {
    const { deps, publisher, replayJobs } = await setup([{}, {}, {}]);
    const offered: PostbackMessage[] = [];
    (publisher as PostbackBatchPublisher).publishBatch = async (messages) => {
      offered.push(...messages);
      return { failed: [{ postbackId: messages[1]!.postbackId, reason: 'InvalidMessageContents' }] };
    };
    const result = await runReplayJobPage(deps, message());
    expect(result.failed).toEqual([{ postbackId: offered[1]!.replayOf, reason: 'InvalidMessageContents' }]);
    expect(await replayJobs.getJob('acme', JOB)).toMatchObject({ sent: 2, failed: 1 });
  });

  test('replays carry ids derived from the job and the original, and name the original', async () => {
    const { deps, publisher } = await setup([{}]);
    await runReplayJobPage(deps, message());
    const [replay] = publisher.batches.flat();
    expect(replay).toMatchObject({
      replayOf: expect.stringMatching(/^pb_/),
      postbackId: expect.stringMatching(/^pb_/),
    });
    expect(replay!.postbackId).not.toBe(replay!.replayOf);
  });

  test('a message for a job that is gone is stale and sends nothing', async () => {
    const { deps, publisher } = await setup([{}]);
    expect(await runReplayJobPage(deps, { ...message(), jobId: 'rj_00mwvycsg0bbbbbbbbbbbbbbbb' })).toEqual({
      status: 'stale',
      job: null,
      failed: [],
    });
    expect(publisher.batches).toEqual([]);
  });
});

describe('giving up on a job', () => {
  test('the job is marked failed with the reason and the time', async () => {
    const { deps, replayJobs } = await setup([{}]);
    await failReplayJob(deps, message(), 'the page failed 5 times');
    expect(await replayJobs.getJob('acme', JOB)).toMatchObject({
      state: 'failed',
      error: 'the page failed 5 times',
      finishedAt: '2026-12-02T12:00:00.000Z',
      version: 2,
    });
  });

  test('a finished job, a page the job has left, or a job that is gone is left as it is', async () => {
    const { deps, replayJobs } = await setup([{}]);
    await runReplayJobPage(deps, message()); // done
    const done = await replayJobs.getJob('acme', JOB);
    await failReplayJob(deps, message(), 'late');
    await failReplayJob(deps, message(1), 'late');
    await failReplayJob(deps, { ...message(), jobId: 'rj_00mwvycsg0bbbbbbbbbbbbbbbb' }, 'late');
    expect(await replayJobs.getJob('acme', JOB)).toEqual(done);
  });

  test('a concurrent save is read again, and the job still marked failed', async () => {
    const { deps, replayJobs } = await setup([{}]);
    const save = replayJobs.saveJob.bind(replayJobs);
    let raced = false;
    replayJobs.saveJob = async (job, readVersion) => {
      if (!raced) {
        raced = true;
        const current = (await replayJobs.getJob('acme', JOB))!;
        await save({ ...current, version: current.version + 1, sent: 1 }, current.version); // another worker's checkpoint
      }
      return save(job, readVersion);
    };
    await failReplayJob(deps, message(), 'gave up');
    expect(await replayJobs.getJob('acme', JOB)).toMatchObject({ state: 'failed', sent: 1, version: 3 });
  });
});
