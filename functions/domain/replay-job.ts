/**
 * Bulk replay as a background job: which postbacks it replays (a filter fixed when it starts), how far it
 * got (the page it works on, where that page starts, the originals of it already sent) and what it did
 * (matched, sent, failed). The worker processes one page per queue message and checkpoints after each
 * batch it sends, so a crashed worker resumes where it stopped; a replay's id derives from the job and
 * the original, so what a crash makes it send again is recorded once.
 */
import type { PostbackMessage, PostbackOutcome, PostbackRecord } from './postback-log';

export const REPLAY_JOB_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type ReplayJobState = (typeof REPLAY_JOB_STATES)[number];

/** The postbacks a job replays. `to` is never open: it stops at the job's start, so the job never finds its own replays. */
export interface PostbackFilter {
  readonly outcome: Exclude<PostbackOutcome, 'pending'> | null;
  readonly issue: string | null;
  readonly from: string | null;
  readonly to: string;
}

export interface ReplayJob {
  readonly jobId: string;
  readonly accountId: string;
  readonly filter: PostbackFilter;
  readonly state: ReplayJobState;
  /** Postbacks the filter matched: counted when the job starts (see matchedExact), exact once done. */
  readonly matched: number;
  /** False when counting took longer than the start call may: `matched` is then a lower bound until done. */
  readonly matchedExact: boolean;
  readonly sent: number;
  /** Matched but not replayed: refused for their size (only a truncated copy was kept) or refused by the queue. */
  readonly failed: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
  /** Optimistic lock: every save is conditional on the version read. */
  readonly version: number;
  /** The page being worked on: its number (job messages name it), where its listing starts, its replays' arrival time. */
  readonly page: number;
  readonly cursor: string | null;
  readonly pageStartedAt: string;
  /** Originals of this page already sent (checkpointed after each batch). */
  readonly pageSent: readonly string[];
}

/** What travels on the job queue: "work on page N of this job". */
export interface ReplayJobMessage {
  readonly v: 1;
  readonly type: 'replay_job';
  readonly accountId: string;
  readonly jobId: string;
  readonly page: number;
}

/** Oversized requests were logged truncated: replaying them would record half a postback. */
const NOT_REPLAYABLE = new Set(['uri_too_long', 'payload_too_large']);

export function isReplayable(record: PostbackRecord): boolean {
  return !(record.error && NOT_REPLAYABLE.has(record.error.code));
}

/** A stored postback as a new queue message that names the one it replays, and competes as of when its content first arrived. */
export function replayMessageOf(
  original: PostbackRecord,
  postbackId: string,
  receivedAt: Date,
): PostbackMessage {
  return {
    v: 1,
    postbackId,
    accountId: original.accountId,
    receivedAt: receivedAt.toISOString(),
    sourceIp: original.sourceIp,
    raw: {
      method: original.method,
      channel: original.channel,
      rawQuery: original.rawQuery,
      body: original.body,
      contentType: original.contentType,
    },
    rejection: null,
    replayOf: original.postbackId,
    originalReceivedAt: original.originalReceivedAt ?? original.receivedAt,
  };
}

export function newReplayJob(input: {
  jobId: string;
  accountId: string;
  filter: PostbackFilter;
  matched: number;
  matchedExact: boolean;
  now: Date;
}): ReplayJob {
  const at = input.now.toISOString();
  const empty = input.matchedExact && input.matched === 0;
  return {
    jobId: input.jobId,
    accountId: input.accountId,
    filter: input.filter,
    state: empty ? 'done' : 'queued',
    matched: input.matched,
    matchedExact: input.matchedExact,
    sent: 0,
    failed: 0,
    createdAt: at,
    updatedAt: at,
    finishedAt: empty ? at : null,
    error: null,
    version: 1,
    page: 0,
    cursor: null,
    pageStartedAt: at,
    pageSent: [],
  };
}

export function isFinished(job: ReplayJob): boolean {
  return job.state === 'done' || job.state === 'failed';
}

/** The job as the API shows it: progress, not the worker's bookkeeping. */
export function toReplayJobView(job: ReplayJob) {
  return {
    jobId: job.jobId,
    accountId: job.accountId,
    state: job.state,
    matched: job.matched,
    matchedExact: job.matchedExact,
    sent: job.sent,
    failed: job.failed,
    filter: job.filter,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    finishedAt: job.finishedAt,
    error: job.error,
  };
}

export function serialiseReplayJobMessage(message: ReplayJobMessage): string {
  return JSON.stringify(message);
}

export function readReplayJobMessage(
  body: string,
): { ok: true; message: ReplayJobMessage } | { ok: false; reason: string } {
  try {
    const parsed = JSON.parse(body) as Partial<ReplayJobMessage>;
    if (
      parsed?.v === 1 &&
      parsed.type === 'replay_job' &&
      typeof parsed.accountId === 'string' &&
      typeof parsed.jobId === 'string' &&
      Number.isInteger(parsed.page) &&
      parsed.page! >= 0
    ) {
      return { ok: true, message: parsed as ReplayJobMessage };
    }
    return { ok: false, reason: 'not a replay job message' };
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
}
