/**
 * Identifiers. A postback id carries its arrival time so the log item can be found from the id alone
 * (its partition and sort key derive from it) and ids sort by arrival.
 */
import { createHash, randomBytes } from 'node:crypto';

const TIME_DIGITS = 10;

/** Ids chosen by the operator (accounts, merchants, products, links) and in paths: letters, digits, '_', '-', '.', at most 128. */
export const RESOURCE_ID = /^[A-Za-z0-9_.-]{1,128}$/;

export function newPostbackId(receivedAt: Date): string {
  return `pb_${receivedAt.getTime().toString(36).padStart(TIME_DIGITS, '0')}${randomBytes(10).toString('hex')}`;
}

/**
 * A postback id that is the same every time for the same arrival time and seed: a replay job derives its
 * replays' ids from the job and the original, so a page sent again after a crash carries the ids it had
 * (the consumer then records each once, as it does a redelivered message).
 */
export function derivedPostbackId(receivedAt: Date, seed: string): string {
  return `pb_${receivedAt.getTime().toString(36).padStart(TIME_DIGITS, '0')}${createHash('sha256').update(seed).digest('hex').slice(0, 20)}`;
}

export function newReplayJobId(createdAt: Date): string {
  return `rj_${createdAt.getTime().toString(36).padStart(TIME_DIGITS, '0')}${randomBytes(8).toString('hex')}`;
}

/** Whether a string is shaped like a replay job id (anything else names no job, and never reaches a key). */
export function isReplayJobId(value: string): boolean {
  return /^rj_[0-9a-z]{10}[0-9a-f]{16}$/.test(value);
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
