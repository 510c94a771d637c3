/** Builds RawPostback values for the domain tests: a GET with no body unless told otherwise. */
import type { RawPostback } from '../../functions/domain/postback';

export function rawPostback(overrides: Partial<RawPostback> = {}): RawPostback {
  return { method: 'GET', channel: 'conversion', rawQuery: '', body: null, contentType: null, ...overrides };
}

export function formPost(body: string, overrides: Partial<RawPostback> = {}): RawPostback {
  return rawPostback({
    method: 'POST',
    body,
    contentType: 'application/x-www-form-urlencoded',
    ...overrides,
  });
}

export function jsonPost(document: unknown, overrides: Partial<RawPostback> = {}): RawPostback {
  return rawPostback({
    method: 'POST',
    body: JSON.stringify(document),
    contentType: 'application/json',
    ...overrides,
  });
}
