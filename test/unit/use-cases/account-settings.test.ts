import {
  DEFAULT_TIME_ZONE,
  getAccountSettings,
  saveAccountSettings,
} from '../../../functions/use-cases/account-settings';
import { FixedClock, InMemoryAggregates, InMemoryLedger } from '../../support/fakes';

function setup() {
  const aggregates = new InMemoryAggregates(new InMemoryLedger());
  return { aggregates, deps: { aggregates, clock: new FixedClock() } };
}
const TZ_MESSAGE = 'must be an IANA time zone name, e.g. "Europe/Paris" or "UTC"';

describe('account settings', () => {
  test('an account that never saved settings is in UTC, never updated', async () => {
    const { deps } = setup();
    expect(DEFAULT_TIME_ZONE).toBe('UTC');
    expect(await getAccountSettings(deps, 'acme')).toEqual({
      accountId: 'acme',
      timeZone: 'UTC',
      updatedAt: null,
    });
  });

  test('a saved time zone is stored under its canonical name and read back', async () => {
    const { deps } = setup();
    const saved = await saveAccountSettings(deps, 'acme', { timeZone: ' europe/paris ' });
    expect(saved).toEqual({
      accountId: 'acme',
      timeZone: 'Europe/Paris',
      updatedAt: '2026-11-25T10:00:00.000Z',
    });
    expect(await getAccountSettings(deps, 'acme')).toEqual(saved);
    expect(await getAccountSettings(deps, 'other')).toMatchObject({ timeZone: 'UTC' });
  });

  test('an alias is stored as the zone it names', async () => {
    const { deps } = setup();
    expect((await saveAccountSettings(deps, 'acme', { timeZone: 'US/Eastern' })).timeZone).toBe(
      'America/New_York',
    );
  });

  test.each([
    ['a made-up zone', { timeZone: 'Mars/Olympus' }, [TZ_MESSAGE]],
    ['an offset', { timeZone: '+02:00' }, [TZ_MESSAGE]],
    ['an empty zone', { timeZone: '' }, expect.any(Array)],
    ['no zone', {}, expect.any(Array)],
    ['a zone of 65 characters', { timeZone: 'A'.repeat(65) }, expect.any(Array)],
  ])('%s is refused on timeZone, and nothing is stored', async (_case, body, messages) => {
    const { deps, aggregates } = setup();
    await expect(saveAccountSettings(deps, 'acme', body)).rejects.toMatchObject({
      status: 422,
      message: 'The settings request is not valid',
      fields: { timeZone: messages },
    });
    expect(aggregates.settings.size).toBe(0);
  });
});
