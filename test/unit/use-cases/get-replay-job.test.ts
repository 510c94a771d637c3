import { getReplayJob } from '../../../functions/use-cases/get-replay-job';
import { replayJob } from '../../contracts/records';
import { InMemoryReplayJobs } from '../../support/fakes';

const JOB_ID = `rj_00mwvycsg0${'ab'.repeat(8)}`;

async function setup() {
  const replayJobs = new InMemoryReplayJobs();
  await replayJobs.createJob(replayJob('acme', JOB_ID, { state: 'running', sent: 40 }));
  return { replayJobs, deps: { replayJobs } };
}

describe("reading a bulk replay's progress", () => {
  test('a job of the account is returned as stored', async () => {
    const { deps } = await setup();
    expect(await getReplayJob(deps, 'acme', JOB_ID)).toMatchObject({
      jobId: JOB_ID,
      state: 'running',
      sent: 40,
    });
  });

  test.each([
    ['an unknown job id', 'acme', `rj_00mwvycsg0${'cd'.repeat(8)}`],
    ["another account's job", 'other', JOB_ID],
  ])('%s is a not-found', async (_case, accountId, jobId) => {
    const { deps } = await setup();
    await expect(getReplayJob(deps, accountId, jobId)).rejects.toMatchObject({
      status: 404,
      message: 'No replay job has this id',
    });
  });

  test.each(['job-1', `${JOB_ID}0`, JOB_ID.toUpperCase(), `rj_${'z'.repeat(26)}`, ''])(
    'an id no job could have (%j) is a not-found without a read',
    async (jobId) => {
      const { deps, replayJobs } = await setup();
      const reads = jest.spyOn(replayJobs, 'getJob');
      await expect(getReplayJob(deps, 'acme', jobId)).rejects.toMatchObject({ status: 404 });
      expect(reads).not.toHaveBeenCalled();
    },
  );
});
