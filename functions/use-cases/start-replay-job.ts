/**
 * Starts a bulk replay: checks the filter, counts what it matches (within a time budget, so the call
 * answers at once however many match), stores the job and asks a worker for its first page. The work
 * itself runs in the background (run-replay-job-page.ts).
 */
import { z } from 'zod';
import { newReplayJobId, REPLAY_JOB_ID_RANDOM_BYTES } from '../domain/ids';
import { STORED_OUTCOMES } from '../domain/postback-log';
import { newReplayJob, type PostbackFilter, type ReplayJob } from '../domain/replay-job';
import type { Clock } from '../ports/clock';
import type { PostbackFinder } from '../ports/postback-finder';
import type { RandomSource } from '../ports/random-source';
import type { ReplayJobQueue } from '../ports/replay-job-queue';
import type { ReplayJobRepository } from '../ports/replay-job-repository';
import { listQuerySchema } from './list-query';
import { validateInput } from './validate-input';

export interface StartReplayJobDependencies {
  readonly postbackFinder: PostbackFinder;
  readonly replayJobs: ReplayJobRepository;
  readonly replayJobQueue: ReplayJobQueue;
  readonly clock: Clock;
  readonly random: RandomSource;
}

/**
 * How long the start call may spend counting. Past it, `matched` is what was counted so far
 * (`matchedExact: false`) and the worker makes it exact as it goes.
 */
export const COUNT_BUDGET_MS = 400;

const filterSchema = listQuerySchema
  .pick({ from: true, to: true })
  .extend({
    outcome: z.enum(STORED_OUTCOMES).optional(),
    issue: z
      .string()
      .trim()
      .regex(/^[a-z0-9_]{1,64}$/, 'must be an issue code such as product_unknown')
      .optional(),
  })
  .refine((filter) => !(filter.from && filter.to && filter.from > filter.to), {
    path: ['to'],
    message: 'must not be before from',
  });

export async function startReplayJob(
  deps: StartReplayJobDependencies,
  accountId: string,
  body: unknown,
): Promise<ReplayJob> {
  const input = validateInput(filterSchema, body ?? {}, 'replay filter');
  const now = deps.clock.now();
  const startedAt = now.toISOString();
  // Closed at the start: the job's own replays arrive later and are never matched by it.
  const filter: PostbackFilter = {
    outcome: input.outcome ?? null,
    issue: input.issue ?? null,
    from: input.from ?? null,
    to: input.to && input.to < startedAt ? input.to : startedAt,
  };
  const { count, exact } = await deps.postbackFinder.countPostbacks(accountId, filter, COUNT_BUDGET_MS);
  const job = newReplayJob({
    jobId: newReplayJobId(now, deps.random.hex(REPLAY_JOB_ID_RANDOM_BYTES)),
    accountId,
    filter,
    matched: count,
    matchedExact: exact,
    now,
  });
  await deps.replayJobs.createJob(job);
  if (job.state !== 'queued') return job;
  try {
    await deps.replayJobQueue.enqueue({ v: 1, type: 'replay_job', accountId, jobId: job.jobId, page: 0 });
  } catch (error) {
    // No worker will ever see it: the job says so, and the caller gets the 503 to retry.
    const at = deps.clock.now().toISOString();
    await deps.replayJobs.saveJob(
      {
        ...job,
        state: 'failed',
        error: 'the job queue was unavailable; start the job again',
        finishedAt: at,
        updatedAt: at,
        version: job.version + 1,
      },
      job.version,
    );
    throw error;
  }
  return job;
}
