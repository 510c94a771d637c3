/** The console's day boundaries in a time zone: what a report range covers when a person picks days. */
import { endOfDay, formatCents, startOfDay } from '../../../console/src/format';

test.each([
  ['2026-12-01', 'UTC', '2026-12-01T00:00:00.000Z'],
  ['2026-07-01', 'America/New_York', '2026-07-01T04:00:00.000Z'],
  ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z'], // the day summer time starts
  ['2026-12-01', 'Asia/Kolkata', '2026-11-30T18:30:00.000Z'],
  ['2026-04-05', 'Australia/Sydney', '2026-04-04T13:00:00.000Z'], // the day summer time ends there
])('%s starts in %s at %s', (day, timeZone, instant) => {
  expect(startOfDay(day, timeZone)).toBe(instant);
});

test('a day ends the millisecond before the next one starts, also on a 25-hour day', () => {
  expect(endOfDay('2026-11-01', 'America/New_York')).toBe('2026-11-02T04:59:59.999Z');
  expect(endOfDay('2026-12-01', 'UTC')).toBe('2026-12-01T23:59:59.999Z');
});

test('amounts are USD from integer cents, and a missing amount says so', () => {
  expect([formatCents(4790), formatCents(-125), formatCents(null)]).toEqual([
    '$47.90',
    '-$1.25',
    'no amount',
  ]);
});
