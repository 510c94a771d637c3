/** A bulk replay's progress. */
import { NotFoundError } from '../domain/errors';
import { isReplayJobId } from '../domain/ids';
import type { ReplayJob } from '../domain/replay-job';
import type { ReplayJobRepository } from '../ports/replay-job-repository';

export async function getReplayJob(
  deps: { readonly replayJobs: Pick<ReplayJobRepository, 'getJob'> },
  accountId: string,
  jobId: string,
): Promise<ReplayJob> {
  const job = isReplayJobId(jobId) ? await deps.replayJobs.getJob(accountId, jobId) : null;
  if (!job) throw new NotFoundError('No replay job has this id');
  return job;
}
