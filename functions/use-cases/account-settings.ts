/** An account's settings: its time zone (an IANA name; reports default to it; UTC until set). */
import { z } from 'zod';
import { isTimeZone } from '../domain/link-report';
import type { AggregateRepository } from '../ports/aggregate-repository';
import type { Clock } from '../ports/clock';
import type { AccountSettings } from '../domain/account-settings';
import { validateInput } from './validate-input';

export const DEFAULT_TIME_ZONE = 'UTC';

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone name, e.g. "Europe/Paris" or "UTC"');
const schema = z.object({ timeZone: timeZoneSchema });

type SettingsDependencies = {
  readonly aggregates: Pick<AggregateRepository, 'getSettings' | 'putSettings'>;
  readonly clock: Clock;
};

export async function getAccountSettings(
  deps: { readonly aggregates: Pick<AggregateRepository, 'getSettings'> },
  accountId: string,
): Promise<AccountSettings> {
  return (
    (await deps.aggregates.getSettings(accountId)) ?? {
      accountId,
      timeZone: DEFAULT_TIME_ZONE,
      updatedAt: null,
    }
  );
}

export async function saveAccountSettings(
  deps: SettingsDependencies,
  accountId: string,
  body: unknown,
): Promise<AccountSettings> {
  const { timeZone } = validateInput(schema, body, 'settings request');
  const settings = {
    accountId,
    timeZone: new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.aggregates.putSettings(settings);
  return settings;
}
