/** The daily chart (uPlot): clicks and conversions on one axis, net commission on another, and the same figures as a table. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { DailyReportRow } from '../api';
import { formatCents } from '../format';

export function DailyChart({ rows, timeZone }: { rows: DailyReportRow[]; timeZone: string }) {
  const container = useRef<HTMLDivElement>(null);
  const daily = rows.every((row) => typeof row.day === 'string');
  const days = [...rows].sort((a, b) => a.day.localeCompare(b.day));

  useEffect(() => {
    if (!container.current || !daily || days.length === 0) return;
    // A day's point sits at noon UTC of its date, so the axis shows the report's own days whatever the browser's zone.
    const x = days.map((row) => Date.parse(`${row.day}T12:00:00Z`) / 1000);
    const width = Math.max(300, Math.min(container.current.clientWidth || 800, 1000));
    const chart = new uPlot(
      {
        width,
        height: 260,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
        series: [
          {},
          { label: 'Clicks', stroke: '#1f5fa8', width: 2, scale: 'count' },
          { label: 'Conversions', stroke: '#177245', width: 2, scale: 'count' },
          {
            label: 'Net commission',
            stroke: '#9a3d00',
            width: 2,
            scale: 'money',
            value: (_u, v) => (v === null ? '-' : formatCents(v * 100)),
          },
        ],
        axes: [
          {},
          { scale: 'count', label: 'count' },
          { scale: 'money', side: 1, label: 'USD', grid: { show: false } },
        ],
      },
      [
        x,
        days.map((row) => row.clicks),
        days.map((row) => row.purchases),
        days.map((row) => row.netCommissionCents / 100),
      ],
      container.current,
    );
    return () => chart.destroy();
  }, [rows, daily]);

  if (!daily)
    return (
      <p class="note error" role="alert">
        The API gave no daily figures (its reports do not offer groupBy=day yet): the table by link below is
        complete.
      </p>
    );
  if (days.length === 0) return <p class="note empty">No day in this range has traffic or conversions.</p>;
  return (
    <>
      <div
        class="chart"
        ref={container}
        role="img"
        aria-label={`Daily clicks, conversions and net commission, ${days.length} days in ${timeZone}`}
        data-points={days.length}
      />
      <details>
        <summary>The chart's figures</summary>
        <div class="table-scroll">
          <table>
            <caption>Per day ({timeZone})</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Clicks</th>
                <th scope="col">Conversions</th>
                <th scope="col">Net commission</th>
              </tr>
            </thead>
            <tbody>
              {days.map((row) => (
                <tr key={row.day}>
                  <th scope="row">{row.day}</th>
                  <td>{row.clicks}</td>
                  <td>{row.purchases}</td>
                  <td>{formatCents(row.netCommissionCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
