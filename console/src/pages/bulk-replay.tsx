/**
 * Bulk replay of the log's current filter as a background job (POST .../postbacks/replay answers 202
 * {jobId, matched}; GET .../replays/{jobId} tells its progress), shown until the job is done or failed.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type ReplayJob } from '../api';
import { useAccount } from '../account';
import { ConfirmAction, ErrorNote } from '../ui';
import type { PostbackFilter } from './postbacks';

const POLL_MS = 1000;

export function BulkReplay({ filter }: { filter: PostbackFilter }) {
  const { accountId } = useAccount();
  const [job, setJob] = useState<ReplayJob | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!job || job.state === 'done' || job.state === 'failed') return;
    const timer = setTimeout(() => api.getReplay(accountId, job.jobId).then(setJob, setError), POLL_MS);
    return () => clearTimeout(timer);
  }, [accountId, job]);

  const described =
    [filter.outcome && `outcome ${filter.outcome}`, filter.issue && `issue ${filter.issue}`]
      .filter(Boolean)
      .join(' and ') || 'no filter (every postback)';
  return (
    <section aria-labelledby="bulk-heading">
      <h2 id="bulk-heading">Replay every postback of this filter</h2>
      <ConfirmAction
        label="Replay all matching"
        confirmLabel="Yes, replay them all"
        explanation={`Every stored postback matching ${described} is processed again, in the background. Conversions already recorded are not counted twice: a replay of one is a duplicate.`}
        onConfirm={async () => {
          setError(null);
          const started = await api.replayAll(accountId, {
            outcome: filter.outcome || undefined,
            issue: filter.issue || undefined,
          });
          setJob({ jobId: started.jobId, state: 'queued', matched: started.matched, sent: 0, failed: 0 });
        }}
      />
      <ErrorNote error={error} />
      {job && (
        <div role="status" class="job">
          <p>
            Replay job {job.jobId}: {job.state}. {job.sent} of {job.matched} sent
            {job.failed ? `, ${job.failed} failed` : ''}.
          </p>
          <progress
            max={Math.max(job.matched, 1)}
            value={job.sent + job.failed}
            aria-label="Replay progress"
          />
        </div>
      )}
    </section>
  );
}
