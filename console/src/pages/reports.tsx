/**
 * Reports: the per-link table (sortable; EPC, conversion, refund and chargeback rates), a daily chart of
 * clicks, conversions and net commission, over a date range in a time zone, by event or sale date, and
 * the same report as CSV. Every figure is the API's; the page only formats and sorts.
 */
import { useState } from 'preact/hooks';
import { api, type PerLinkRow, type ReportQuery } from '../api';
import { useAccount } from '../account';
import { dayIn, endOfDay, formatCents, formatRate, startOfDay } from '../format';
import { ErrorNote, Loading, useAction, useLoad } from '../ui';
import { DailyChart } from './daily-chart';

type Column = { key: keyof PerLinkRow; label: string; format: (row: PerLinkRow) => string };
const COLUMNS: Column[] = [
  { key: 'linkId', label: 'Link', format: (row) => row.linkId ?? 'Not attributed' },
  { key: 'clicks', label: 'Clicks', format: (row) => String(row.clicks) },
  { key: 'purchases', label: 'Purchases', format: (row) => String(row.purchases) },
  { key: 'upsells', label: 'Upsells', format: (row) => String(row.upsells) },
  { key: 'conversionRate', label: 'Conversion rate', format: (row) => formatRate(row.conversionRate) },
  {
    key: 'netCommissionCents',
    label: 'Net commission',
    format: (row) => formatCents(row.netCommissionCents),
  },
  { key: 'epcCents', label: 'EPC', format: (row) => formatCents(row.epcCents) },
  { key: 'refundRate', label: 'Refund rate', format: (row) => formatRate(row.refundRate) },
  { key: 'chargebackRate', label: 'Chargeback rate', format: (row) => formatRate(row.chargebackRate) },
];

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function LinkTable({ rows }: { rows: PerLinkRow[] }) {
  const [sort, setSort] = useState<{ key: keyof PerLinkRow; descending: boolean }>({
    key: 'netCommissionCents',
    descending: true,
  });
  const sorted = [...rows].sort((a, b) => {
    const x = a[sort.key] ?? '';
    const y = b[sort.key] ?? '';
    const order = x < y ? -1 : x > y ? 1 : 0;
    return sort.descending ? -order : order;
  });
  if (rows.length === 0)
    return (
      <p class="note empty">
        No links and no traffic in this range. Create a link in Links and pixels, or widen the range.
      </p>
    );
  return (
    <div class="table-scroll">
      <table class="report">
        <caption>Per link (select a column heading to sort)</caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th
                key={column.key}
                scope="col"
                aria-sort={sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
              >
                <button
                  type="button"
                  onClick={() =>
                    setSort({
                      key: column.key,
                      descending: sort.key === column.key ? !sort.descending : true,
                    })
                  }
                >
                  {column.label}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={row.linkId ?? '(none)'}>
              {COLUMNS.map((column) =>
                column.key === 'linkId' ? (
                  <th scope="row">{column.format(row)}</th>
                ) : (
                  <td key={column.key}>{column.format(row)}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const anchor = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The account's time zone (PUT .../settings): reports' days and every time in the console follow it. */
function AccountTimeZone() {
  const { accountId, timeZone, timeZoneChanged } = useAccount();
  const [value, setValue] = useState(timeZone);
  const save = useAction();
  return (
    <form
      class="inline-form"
      aria-label="The account's time zone"
      onSubmit={(event) => {
        event.preventDefault();
        void save.run(async () =>
          timeZoneChanged((await api.saveSettings(accountId, { timeZone: value.trim() })).timeZone),
        );
      }}
    >
      <label for="account-tz">Account time zone</label>
      <input
        id="account-tz"
        required
        value={value}
        aria-describedby="account-tz-hint"
        onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)}
      />
      <small id="account-tz-hint" class="hint">
        An IANA name such as America/New_York or Europe/Paris.
      </small>
      <button type="submit" disabled={save.busy}>
        Save time zone
      </button>
      <ErrorNote error={save.error} />
    </form>
  );
}

export function ReportsPage() {
  const { accountId, timeZone } = useAccount();
  const today = dayIn(new Date(), timeZone);
  // tz '' is the account's own zone, whatever it is when the report is asked for.
  const [range, setRange] = useState({
    from: addDays(today, -6),
    to: today,
    tz: '',
    dateBasis: 'event' as ReportQuery['dateBasis'],
  });
  const [applied, setApplied] = useState(range);
  // The days chosen, whole, in the report's time zone: from the first one's midnight to the last one's last instant.
  const tz = applied.tz || timeZone;
  const query: ReportQuery = {
    from: startOfDay(applied.from, tz),
    to: endOfDay(applied.to, tz),
    tz,
    dateBasis: applied.dateBasis,
  };
  const key = [accountId, query.from, query.to, query.tz, query.dateBasis];
  const links = useLoad(() => api.linkReport(accountId, query), key);
  const daily = useLoad(() => api.dailyReport(accountId, query), key);
  const csv = useAction();
  const zones = [...new Set(['UTC', Intl.DateTimeFormat().resolvedOptions().timeZone])].filter(
    (zone) => zone !== timeZone,
  );

  return (
    <>
      <h1>Reports</h1>
      <form
        class="filters"
        aria-label="Report range"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(range);
        }}
      >
        <label for="report-from">From</label>
        <input
          id="report-from"
          type="date"
          required
          value={range.from}
          onInput={(e) => setRange({ ...range, from: (e.currentTarget as HTMLInputElement).value })}
        />
        <label for="report-to">To (included)</label>
        <input
          id="report-to"
          type="date"
          required
          value={range.to}
          onInput={(e) => setRange({ ...range, to: (e.currentTarget as HTMLInputElement).value })}
        />
        <label for="report-tz">Time zone</label>
        <select
          id="report-tz"
          value={range.tz}
          onChange={(e) => setRange({ ...range, tz: (e.currentTarget as HTMLSelectElement).value })}
        >
          <option value="">The account's ({timeZone})</option>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
        <fieldset>
          <legend>Count each conversion on</legend>
          <label class="inline">
            <input
              type="radio"
              name="dateBasis"
              value="event"
              checked={range.dateBasis === 'event'}
              onChange={() => setRange({ ...range, dateBasis: 'event' })}
            />{' '}
            the date of its event
          </label>
          <label class="inline">
            <input
              type="radio"
              name="dateBasis"
              value="sale"
              checked={range.dateBasis === 'sale'}
              onChange={() => setRange({ ...range, dateBasis: 'sale' })}
            />{' '}
            the date of the sale
          </label>
        </fieldset>
        <button type="submit" class="primary">
          Show report
        </button>
        <button
          type="button"
          disabled={csv.busy}
          onClick={() =>
            csv.run(async () =>
              download(
                `link-report_${applied.from}_${applied.to}.csv`,
                await api.reportCsv(accountId, { ...query, groupBy: 'link' }),
              ),
            )
          }
        >
          Download CSV
        </button>
      </form>
      <ErrorNote error={csv.error} />
      <section aria-labelledby="daily-heading">
        <h2 id="daily-heading">Day by day</h2>
        {daily.loading && <Loading what="daily figures" />}
        <ErrorNote error={daily.error} onRetry={daily.reload} />
        {daily.data && <DailyChart rows={daily.data.rows} timeZone={query.tz} />}
      </section>
      <section aria-labelledby="links-report-heading">
        <h2 id="links-report-heading">By link</h2>
        {links.loading && <Loading what="the link report" />}
        <ErrorNote error={links.error} onRetry={links.reload} />
        {links.data && <LinkTable rows={links.data.rows} />}
      </section>
      <AccountTimeZone />
    </>
  );
}
