/** The ReplayJobRepository contract (functions/ports/replay-job-repository.ts): against the fake and the DynamoDB adapter. */
import { ConflictError, WriteConflictError } from '../../functions/domain/errors';
import type { ReplayJob } from '../../functions/domain/replay-job';
import type { ReplayJobRepository } from '../../functions/ports/replay-job-repository';
import { at, freshAccount, replayJob } from './records';

export function describeReplayJobRepositoryContract(
  name: string,
  makeRepository: () => ReplayJobRepository | Promise<ReplayJobRepository>,
): void {
  describe(`ReplayJobRepository contract: ${name}`, () => {
    let jobs: ReplayJobRepository;
    let account: string;
    beforeEach(async () => {
      jobs = await makeRepository();
      account = freshAccount('rj');
    });

    test("a created job reads back as created; an unknown id or another account's reads as null", async () => {
      const job = replayJob(account);
      expect(await jobs.getJob(account, job.jobId)).toBeNull();
      await jobs.createJob(job);
      expect(await jobs.getJob(account, job.jobId)).toEqual(job);
      expect(await jobs.getJob(freshAccount(), job.jobId)).toBeNull();
    });

    test('creating a job whose id exists fails with ConflictError and keeps the first', async () => {
      const job = replayJob(account);
      await jobs.createJob(job);
      await expect(jobs.createJob({ ...job, matched: 99 })).rejects.toBeInstanceOf(ConflictError);
      expect(await jobs.getJob(account, job.jobId)).toEqual(job);
    });

    test("a job id is the account's own: another account may have a job with the same id", async () => {
      const mine = replayJob(account);
      const theirs = replayJob(freshAccount(), mine.jobId, { matched: 7 });
      await jobs.createJob(mine);
      await jobs.createJob(theirs);
      expect(await jobs.getJob(account, mine.jobId)).toEqual(mine);
      expect(await jobs.getJob(theirs.accountId, mine.jobId)).toEqual(theirs);
    });

    test('a save conditional on the version read succeeds; saves chain version by version', async () => {
      const job = replayJob(account);
      await jobs.createJob(job);
      let current: ReplayJob = job;
      for (const sent of [10, 20, 30]) {
        const next = {
          ...current,
          state: 'running' as const,
          sent,
          version: current.version + 1,
          updatedAt: at(sent),
        };
        await jobs.saveJob(next, current.version);
        current = (await jobs.getJob(account, job.jobId))!;
        expect(current).toEqual(next);
      }
    });

    test.each([
      ['an older version', (stored: number) => stored - 1],
      ['a newer version than stored', (stored: number) => stored + 1],
    ])(
      'a save that read %s fails with WriteConflictError and changes nothing',
      async (_case, readVersionOf) => {
        const job = replayJob(account);
        await jobs.createJob(job);
        const saved = { ...job, sent: 5, version: 2 };
        await jobs.saveJob(saved, 1);
        await expect(
          jobs.saveJob({ ...saved, sent: 99, version: 3 }, readVersionOf(saved.version)),
        ).rejects.toBeInstanceOf(WriteConflictError);
        expect(await jobs.getJob(account, job.jobId)).toEqual(saved);
      },
    );

    test('of two workers that read the same version, only the first save lands', async () => {
      const job = replayJob(account);
      await jobs.createJob(job);
      await jobs.saveJob({ ...job, sent: 1, version: 2 }, 1);
      await expect(jobs.saveJob({ ...job, sent: 2, version: 2 }, 1)).rejects.toBeInstanceOf(
        WriteConflictError,
      );
      expect((await jobs.getJob(account, job.jobId))?.sent).toBe(1);
    });

    test('of concurrent saves that read the same version, exactly one lands; the others conflict', async () => {
      const job = replayJob(account);
      await jobs.createJob(job);
      const saves = [1, 2, 3].map((sent) => ({ ...job, sent, version: 2 }));
      const results = await Promise.allSettled(saves.map((save) => jobs.saveJob(save, 1)));
      const landed = saves.filter((_, index) => results[index]!.status === 'fulfilled');
      // One conditional write on one item: the store serializes them, so exactly one finds the version it read.
      expect(landed).toHaveLength(1);
      for (const result of results)
        if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(WriteConflictError);
      expect(await jobs.getJob(account, job.jobId)).toEqual(landed[0]);
    });

    test('saving a job that was never created fails with WriteConflictError', async () => {
      const job = replayJob(account);
      await expect(jobs.saveJob(job, 1)).rejects.toBeInstanceOf(WriteConflictError);
      expect(await jobs.getJob(account, job.jobId)).toBeNull();
    });

    test("saving a job under another account's id with the same version does not touch that account's job", async () => {
      const theirs = replayJob(freshAccount());
      await jobs.createJob(theirs);
      await expect(jobs.saveJob({ ...theirs, accountId: account, version: 2 }, 1)).rejects.toBeInstanceOf(
        WriteConflictError,
      );
      expect(await jobs.getJob(theirs.accountId, theirs.jobId)).toEqual(theirs);
      expect(await jobs.getJob(account, theirs.jobId)).toBeNull();
    });
  });
}
