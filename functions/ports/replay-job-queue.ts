import type { ReplayJobMessage } from '../domain/replay-job';

/** The job queue: each message asks a worker for one page of a replay job. */
export interface ReplayJobQueue {
  enqueue(message: ReplayJobMessage): Promise<void>;
}
