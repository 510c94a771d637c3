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
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(new Date(iso));
}

/** YYYY-MM-DD of an instant in a time zone (for date inputs). */
export function dayIn(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}
