/**
 * Postbacks: the live log. The first page is read again every second (paused while the tab is hidden),
 * so new postbacks and pending ones being processed show without reloading; filters by outcome and issue
 * code; a row opens its stored request with every issue explained, and replays it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ISSUE_EXPLANATIONS } from '../../../functions/domain/issue-explanations';
import { POSTBACK_OUTCOMES } from '../../../functions/domain/postback-log';
import { api, type PostbackView } from '../api';
import { useAccount } from '../account';
import { formatTime } from '../format';
import { ErrorNote, Loading, useAction, useLoad } from '../ui';
import { BulkReplay } from './bulk-replay';
import { awaitProcessed } from './integration';
import { OUTCOME_WORDS, PostbackSummary, StoredRequest } from './postback-detail';

const POLL_MS = 1000;
const PAGE_SIZE = 50;

export interface PostbackFilter {
  readonly outcome: string;
  readonly issue: string;
}

function useLiveLog(accountId: string, filter: PostbackFilter) {
  const [latest, setLatest] = useState<PostbackView[] | null>(null);
  const [older, setOlder] = useState<PostbackView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState(true);
  const liveRef = useRef(live);
  liveRef.current = live;

  useEffect(() => {
    setLatest(null);
    setOlder([]);
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let first = true;
    const poll = async () => {
      // A hidden tab costs no reads: it catches up on its next poll once visible.
      if (first || !document.hidden) {
        first = false;
        try {
          const page = await api.listPostbacks(accountId, {
            outcome: filter.outcome || undefined,
            issue: filter.issue || undefined,
            limit: PAGE_SIZE,
          });
          if (stopped) return;
          setLatest(page.postbacks);
          setCursor((current) => current ?? page.cursor);
          setError(null);
        } catch (caught) {
          if (!stopped) setError(caught);
        }
      }
      if (!stopped && liveRef.current) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [accountId, filter.outcome, filter.issue, live]);

  const loadOlder = async () => {
    if (!cursor) return;
    const page = await api.listPostbacks(accountId, {
      outcome: filter.outcome || undefined,
      issue: filter.issue || undefined,
      limit: PAGE_SIZE,
      cursor,
    });
    setOlder((rows) => [...rows, ...page.postbacks]);
    setCursor(page.cursor);
  };
  const seen = new Set<string>();
  const rows = [...(latest ?? []), ...older].filter(
    (row) => !seen.has(row.postbackId) && (seen.add(row.postbackId), true),
  );
  return { rows, loaded: latest !== null, error, live, setLive, hasOlder: cursor !== null, loadOlder };
}

function Detail({ postbackId, onClose }: { postbackId: string; onClose: () => void }) {
  const { accountId, navigate } = useAccount();
  // Opened right after it was sent (a link from an answer, a replay), it may still be in the queue: wait for it.
  const record = useLoad(() => awaitProcessed(accountId, postbackId), [accountId, postbackId]);
  const replay = useAction();
  const [replayed, setReplayed] = useState<PostbackView | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [postbackId]);
  const doReplay = () =>
    replay.run(async () => {
      setReplayed(null);
      const sent = await api.replay(accountId, postbackId);
      setReplayed(
        sent.outcome === 'pending'
          ? await awaitProcessed(accountId, sent.postbackId)
          : (sent as PostbackView),
      );
    });
  return (
    <section class="detail" aria-labelledby="detail-heading">
      <h2 id="detail-heading" tabIndex={-1} ref={headingRef}>
        Postback {postbackId}
      </h2>
      <button type="button" onClick={onClose}>
        Close
      </button>
      {record.loading && <Loading what="the postback" />}
      <ErrorNote error={record.error} onRetry={record.reload} />
      {record.data && (
        <>
          <PostbackSummary record={record.data} />
          <StoredRequest record={record.data} />
          <h3>Replay</h3>
          <p>
            Replaying processes this stored request again, as if Buygoods had sent it now (after you fixed
            what made it fail, for example).
          </p>
          <button type="button" onClick={doReplay} disabled={replay.busy}>
            Replay this postback
          </button>
          {replay.busy && <p role="status">Replaying…</p>}
          <ErrorNote error={replay.error} />
          {replayed && (
            <div role="status">
              <p>
                Replayed as{' '}
                <a
                  href="#"
                  onClick={(event) => (event.preventDefault(), navigate('postbacks', replayed.postbackId))}
                >
                  {replayed.postbackId}
                </a>
                :
              </p>
              <PostbackSummary record={replayed} />
            </div>
          )}
        </>
      )}
    </section>
  );
}

export function PostbacksPage({ argument }: { argument: string | null }) {
  const { accountId, timeZone, navigate } = useAccount();
  const [filter, setFilter] = useState<PostbackFilter>({ outcome: '', issue: '' });
  const log = useLiveLog(accountId, filter);
  const older = useAction();

  return (
    <>
      <h1>Postbacks</h1>
      <form class="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filter postbacks">
        <label for="filter-outcome">Outcome</label>
        <select
          id="filter-outcome"
          value={filter.outcome}
          onChange={(e) => setFilter({ ...filter, outcome: (e.currentTarget as HTMLSelectElement).value })}
        >
          <option value="">Any outcome</option>
          {POSTBACK_OUTCOMES.map((outcome) => (
            <option key={outcome} value={outcome}>
              {outcome}
            </option>
          ))}
        </select>
        <label for="filter-issue">Issue</label>
        <select
          id="filter-issue"
          value={filter.issue}
          onChange={(e) => setFilter({ ...filter, issue: (e.currentTarget as HTMLSelectElement).value })}
        >
          <option value="">Any or no issue</option>
          {Object.keys(ISSUE_EXPLANATIONS).map((code) => (
            <option key={code} value={code}>
              {code}
            </option>
          ))}
        </select>
        <label class="inline">
          <input
            type="checkbox"
            checked={log.live}
            onChange={(e) => log.setLive((e.currentTarget as HTMLInputElement).checked)}
          />{' '}
          Live (new postbacks appear as they arrive)
        </label>
      </form>
      {argument && <Detail postbackId={argument} onClose={() => navigate('postbacks')} />}
      <ErrorNote error={log.error} />
      {!log.loaded && !log.error && <Loading what="postbacks" />}
      {log.loaded && log.rows.length === 0 && (
        <div class="note empty">
          {filter.outcome || filter.issue ? (
            <p>No postback matches this filter.</p>
          ) : (
            <p>
              No postbacks yet. Next step:{' '}
              <a href={`#/${encodeURIComponent(accountId)}/integration`}>activate the integration</a>, paste
              the Conversion URL in Buygoods, and send a test purchase.
            </p>
          )}
        </div>
      )}
      {log.rows.length > 0 && (
        <div class="table-scroll">
          <table class="log">
            <caption>Postbacks, newest first{log.live ? ' (live)' : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Outcome</th>
                <th scope="col">Kind</th>
                <th scope="col">Order</th>
                <th scope="col">Click id</th>
                <th scope="col">Issues</th>
                <th scope="col">
                  <span class="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {log.rows.map((row) => (
                <tr key={row.postbackId} class={row.postbackId === argument ? 'selected' : ''}>
                  <td>{formatTime(row.receivedAt, timeZone)}</td>
                  <td>
                    <span class={`outcome ${row.outcome}`} title={OUTCOME_WORDS[row.outcome]}>
                      {row.outcome}
                    </span>
                  </td>
                  <td>{row.kind ?? '-'}</td>
                  <td>{row.orderId ?? '-'}</td>
                  <td>{row.clickId.status}</td>
                  <td>{[...(row.error ? [row.error.code] : []), ...row.issues].join(', ') || '-'}</td>
                  <td>
                    <a
                      href={`#/${encodeURIComponent(accountId)}/postbacks/${encodeURIComponent(row.postbackId)}`}
                      aria-label={`Open postback ${row.orderId ?? row.postbackId} received ${formatTime(row.receivedAt, timeZone)}`}
                    >
                      Open
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.hasOlder && log.rows.length >= PAGE_SIZE && (
        <button type="button" disabled={older.busy} onClick={() => older.run(log.loadOlder)}>
          Load older postbacks
        </button>
      )}
      <ErrorNote error={older.error} />
      <BulkReplay filter={filter} />
    </>
  );
}
