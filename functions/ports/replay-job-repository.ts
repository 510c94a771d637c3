import type { ReplayJob } from '../domain/replay-job';

/** Bulk replay jobs (functions/domain/replay-job.ts). */
export interface ReplayJobRepository {
  /** Fails with ConflictError if the id exists (it never should: ids are random). */
  createJob(job: ReplayJob): Promise<void>;
  getJob(accountId: string, jobId: string): Promise<ReplayJob | null>;
  /** Conditional on the job still having the version it was read with: WriteConflictError when another save came first. */
  saveJob(job: ReplayJob, readVersion: number): Promise<void>;
}
