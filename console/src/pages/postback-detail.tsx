/** One postback as the API recorded it: outcome, what each issue means, the stored (redacted) request. */
import { explainIssue } from '../../../functions/domain/issue-explanations';
import type { PostbackView } from '../api';
import { useAccount } from '../account';
import { formatTime } from '../format';
import { DataTable } from '../ui';

export const OUTCOME_WORDS: Record<string, string> = {
  pending: 'waiting to be processed',
  accepted: 'recorded',
  duplicate: 'duplicate (already recorded, nothing changed)',
  updated: 'updated an existing conversion',
  rejected: 'rejected (nothing recorded)',
  ignored: 'ignored (not a conversion)',
};

export function Explanations({ record }: { record: PostbackView }) {
  const codes = [
    ...(record.error ? [record.error.code] : []),
    ...record.issues.filter((code) => code !== record.error?.code),
  ];
  if (codes.length === 0) return <p>No issues: everything in this postback was read as expected.</p>;
  return (
    <ul class="issues" aria-label="Issues">
      {codes.map((code) => (
        <li key={code}>
          <code>{code}</code>: {explainIssue(code)}
        </li>
      ))}
    </ul>
  );
}

/** What the outcome was and why, in a sentence or two (the integration page's test purchase uses it too). */
export function PostbackSummary({ record }: { record: PostbackView }) {
  const { timeZone, navigate } = useAccount();
  return (
    <div class="postback-summary" aria-label={`Postback ${record.postbackId}`} role="group">
      <p>
        <strong class={`outcome ${record.outcome}`}>{OUTCOME_WORDS[record.outcome] ?? record.outcome}</strong>
        {record.kind ? ` · ${record.kind}` : ''}
        {record.orderId ? (
          <>
            {' · order '}
            <a href="#" onClick={(event) => (event.preventDefault(), navigate('orders', record.orderId!))}>
              {record.orderId}
            </a>
          </>
        ) : (
          ''
        )}
        {' · received '}
        {formatTime(record.receivedAt, timeZone)}
        {record.processedAt ? `, processed ${formatTime(record.processedAt, timeZone)}` : ''}
      </p>
      {record.error && <p>{record.error.message}</p>}
      {record.outcome === 'ignored' && record.reason && (
        <p>The IPN event was {record.reason}: not a conversion, so nothing was created.</p>
      )}
      <Explanations record={record} />
    </div>
  );
}

function queryPairs(rawQuery: string): [string, string][] {
  return [...new URLSearchParams(rawQuery)];
}

export function StoredRequest({ record }: { record: PostbackView }) {
  const pairs = queryPairs(record.rawQuery ?? '');
  return (
    <section aria-label="Stored request">
      <h3>Stored request (customer details redacted)</h3>
      <p>
        {record.method} to the {record.channel} URL{record.sourceIp ? ` from ${record.sourceIp}` : ''}
        {record.replayOf ? `, a replay of ${record.replayOf}` : ''}
      </p>
      {pairs.length > 0 && (
        <DataTable class="pairs" caption="Query parameters" columns={['Parameter', 'Value as received']}>
          {pairs.map(([key, value], index) => (
            <tr key={`${key}-${index}`}>
              <td>{key}</td>
              <td>
                <code>{value}</code>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {record.body && (
        <>
          <h4>Body{record.contentType ? ` (${record.contentType})` : ''}</h4>
          <pre class="body">{record.body}</pre>
        </>
      )}
    </section>
  );
}
