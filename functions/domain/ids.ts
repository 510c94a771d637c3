/**
 * Identifiers. A postback id carries its arrival time so the log item can be found from the id alone
 * (its partition and sort key derive from it) and ids sort by arrival.
 */
import { randomBytes } from 'node:crypto';

const TIME_DIGITS = 10;

/** Ids chosen by the operator (accounts, merchants, products, links) and in paths: letters, digits, '_', '-', '.', at most 128. */
export const RESOURCE_ID = /^[A-Za-z0-9_.-]{1,128}$/;

export function newPostbackId(receivedAt: Date): string {
  return `pb_${receivedAt.getTime().toString(36).padStart(TIME_DIGITS, '0')}${randomBytes(10).toString('hex')}`;
}

export function receivedAtOfPostbackId(postbackId: string): string | null {
  const match = /^pb_([0-9a-z]{10})[0-9a-f]{20}$/.exec(postbackId);
  if (!match) return null;
  const ms = parseInt(match[1]!, 36);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export function newConversionId(): string {
  return `cv_${randomBytes(12).toString('hex')}`;
}

/** Click ids this service issues (the click redirect): only such a click can be recorded after its conversion. */
export const CLICK_ID_PREFIX = 'ck_';

export function isIssuedClickId(clickId: string): boolean {
  return clickId.startsWith(CLICK_ID_PREFIX);
}
