/**
 * Figures as a person reads them: money in the account's currency (Buygoods amounts are USD), times in
 * the account's time zone. Formatting only: every figure comes computed from the API.
 */

export const CURRENCY = 'USD';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: CURRENCY });
export function formatCents(cents: number | null | undefined): string {
  return cents === null || cents === undefined ? 'no amount' : money.format(cents / 100);
}

const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
export function formatRate(rate: number): string {
  return percent.format(rate);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
export function formatTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '-';
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(new Date(iso));
}

/** YYYY-MM-DD of an instant in a time zone (for date inputs). */
export function dayIn(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}

/** The time zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetMs(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a calendar day (YYYY-MM-DD) starts in a time zone, as ISO-8601 UTC. */
export function startOfDay(day: string, timeZone: string): string {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  let instant = midnightUtc - offsetMs(midnightUtc, timeZone);
  // Once more, in case the offset differs at the instant found (a DST change that day).
  instant = midnightUtc - offsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}

/** The next calendar day of a YYYY-MM-DD. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The last millisecond of a calendar day in a time zone (report ranges include their end). */
export function endOfDay(day: string, timeZone: string): string {
  return new Date(Date.parse(startOfDay(nextDay(day), timeZone)) - 1).toISOString();
}
