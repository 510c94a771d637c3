/**
 * The replay worker's step: one page of a job per job message. It sends the page's replays in batches
 * and checkpoints after each batch (the originals sent, the counts), asks for the next page before it
 * moves the job on, and marks the job done after the last page.
 *
 * Why it never replays a postback twice for one job: a redelivered or duplicate message for a page the
 * job has left is dropped; a page resumed after a crash skips the originals checkpointed as sent; and a
 * batch sent just before a crash (sent, not yet checkpointed) is sent again with the same replay ids,
 * which the consumer records once, as it does any redelivered message. Two workers on one page cannot
 * both move the job: every save is conditional on the version read.
 */
import { derivedPostbackId } from '../domain/ids';
import {
  isFinished,
  isReplayable,
  replayMessageOf,
  type ReplayJob,
  type ReplayJobMessage,
} from '../domain/replay-job';
import type { Clock } from '../ports/clock';
import type { PostbackBatchPublisher } from '../ports/postback-publisher';
import type { PostbackFinder } from '../ports/postback-finder';
import type { ReplayJobQueue } from '../ports/replay-job-queue';
import type { ReplayJobRepository } from '../ports/replay-job-repository';
import { WriteConflictError } from '../domain/errors';

export interface ReplayWorkerDependencies {
  readonly postbackFinder: PostbackFinder;
  readonly replayJobs: ReplayJobRepository;
  readonly replayJobQueue: ReplayJobQueue;
  readonly batchPublisher: PostbackBatchPublisher;
  readonly clock: Clock;
  /** Originals per page (one job message); default PAGE_SIZE. */
  readonly pageSize?: number;
}

/** 100 originals a page: ten batches of ten, each checkpointed; the checkpoint's id list stays under 4 KB. */
export const PAGE_SIZE = 100;
/** SendMessageBatch takes at most ten messages. */
export const SEND_BATCH = 10;
const MAX_ATTEMPTS = 5;

export interface PageResult {
  /** stale: a message for a page the job has left (or a finished job), dropped. */
  readonly status: 'stale' | 'next' | 'done';
  readonly job: ReplayJob | null;
  /** Originals of this page that could not be replayed, for the worker's log. */
  readonly failed: ReadonlyArray<{ postbackId: string; reason: string }>;
}

export async function runReplayJobPage(
  deps: ReplayWorkerDependencies,
  message: ReplayJobMessage,
): Promise<PageResult> {
  const failed: Array<{ postbackId: string; reason: string }> = [];
  for (let attempt = 1; ; attempt++) {
    const job = await deps.replayJobs.getJob(message.accountId, message.jobId);
    // Gone (expired), finished, or a page the job has left: a late or duplicate message.
    if (!job || isFinished(job) || job.page !== message.page) return { status: 'stale', job, failed };
    try {
      const done = await workPage(deps, job, failed);
      return { status: done.state === 'done' ? 'done' : 'next', job: done, failed };
    } catch (error) {
      // Another worker saved first (a duplicate message for the same page): read again and carry on from its checkpoint.
      if (!(error instanceof WriteConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function workPage(
  deps: ReplayWorkerDependencies,
  start: ReplayJob,
  failures: Array<{ postbackId: string; reason: string }>,
): Promise<ReplayJob> {
  let job = start;
  const page = await deps.postbackFinder.findPostbacks(
    job.accountId,
    job.filter,
    deps.pageSize ?? PAGE_SIZE,
    job.cursor,
  );
  const replayedAt = new Date(job.pageStartedAt);
  const alreadySent = new Set(job.pageSent);
  const todo = page.items.filter((original) => !alreadySent.has(original.postbackId));

  for (let index = 0; index < todo.length; index += SEND_BATCH) {
    const chunk = todo.slice(index, index + SEND_BATCH);
    const refused = chunk
      .filter((original) => !isReplayable(original))
      .map((original) => ({ postbackId: original.postbackId, reason: 'not_replayable' }));
    const messages = chunk
      .filter(isReplayable)
      .map((original) =>
        replayMessageOf(
          original,
          derivedPostbackId(replayedAt, `${job.jobId}:${original.postbackId}`),
          replayedAt,
        ),
      );
    const result = messages.length > 0 ? await deps.batchPublisher.publishBatch(messages) : { failed: [] };
    const originalOf = new Map(messages.map((message) => [message.postbackId, message.replayOf!]));
    const itemFailures = [
      ...refused,
      ...result.failed.map((failure) => ({
        postbackId: originalOf.get(failure.postbackId) ?? failure.postbackId,
        reason: failure.reason,
      })),
    ];
    failures.push(...itemFailures);
    job = await save(deps, job, {
      state: 'running',
      pageSent: [...job.pageSent, ...chunk.map((original) => original.postbackId)],
      sent: job.sent + messages.length - result.failed.length,
      failed: job.failed + itemFailures.length,
    });
  }

  const now = deps.clock.now().toISOString();
  if (page.cursor === null) {
    // The last page: what the job did is now the exact count of what matched.
    return save(deps, job, {
      state: 'done',
      finishedAt: now,
      matched: job.sent + job.failed,
      matchedExact: true,
      page: job.page + 1,
      cursor: null,
      pageSent: [],
    });
  }
  // Ask for the next page first: a crash between the two leaves the job on this page, and this page's
  // message comes back, finds nothing left to send and asks again (a duplicate the next page drops).
  await deps.replayJobQueue.enqueue({
    v: 1,
    type: 'replay_job',
    accountId: job.accountId,
    jobId: job.jobId,
    page: job.page + 1,
  });
  const processed = job.sent + job.failed;
  return save(deps, job, {
    state: 'running',
    page: job.page + 1,
    cursor: page.cursor,
    pageStartedAt: now,
    pageSent: [],
    ...(job.matchedExact ? {} : { matched: Math.max(job.matched, processed) }),
  });
}

async function save(
  deps: ReplayWorkerDependencies,
  job: ReplayJob,
  changes: Partial<ReplayJob>,
): Promise<ReplayJob> {
  const next: ReplayJob = {
    ...job,
    ...changes,
    version: job.version + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.replayJobs.saveJob(next, job.version);
  return next;
}

/** A job the worker cannot finish (its message failed for good): marked failed with the reason, so its progress says so. */
export async function failReplayJob(
  deps: Pick<ReplayWorkerDependencies, 'replayJobs' | 'clock'>,
  message: ReplayJobMessage,
  reason: string,
): Promise<void> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const job = await deps.replayJobs.getJob(message.accountId, message.jobId);
    if (!job || isFinished(job) || job.page !== message.page) return;
    const at = deps.clock.now().toISOString();
    try {
      await deps.replayJobs.saveJob(
        { ...job, state: 'failed', error: reason, finishedAt: at, updatedAt: at, version: job.version + 1 },
        job.version,
      );
      return;
    } catch (error) {
      if (!(error instanceof WriteConflictError)) throw error;
    }
  }
}
