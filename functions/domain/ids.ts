/**
 * Identifiers. A postback id carries its arrival time so the log item can be found from the id alone
 * (its partition and sort key derive from it) and ids sort by arrival. New ids are made from a random
 * part the caller draws (the RandomSource port), of the length named beside each format.
 */
import { createHash } from 'node:crypto';

const TIME_DIGITS = 10;

/** The random part as given, when it is `bytes` bytes in `encoding`; anything else is a programming error. */
export function randomPart(value: string, bytes: number, encoding: 'hex' | 'base64url'): string {
  const pattern =
    encoding === 'hex'
      ? new RegExp(`^[0-9a-f]{${bytes * 2}}$`)
      : new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((bytes * 4) / 3)}}$`);
  if (!pattern.test(value))
    throw new Error(`Expected ${bytes} random bytes in ${encoding}, got ${JSON.stringify(value)}`);
  return value;
}

/** Ids chosen by the operator (accounts, merchants, products, links) and in paths: letters, digits, '_', '-', '.', at most 128. */
export const RESOURCE_ID = /^[A-Za-z0-9_.-]{1,128}$/;

export const POSTBACK_ID_RANDOM_BYTES = 10;

/** `pb_`, the arrival time, then POSTBACK_ID_RANDOM_BYTES random bytes in hex. */
export function newPostbackId(receivedAt: Date, randomHex: string): string {
  return `pb_${receivedAt.getTime().toString(36).padStart(TIME_DIGITS, '0')}${randomPart(randomHex, POSTBACK_ID_RANDOM_BYTES, 'hex')}`;
}

/**
 * A postback id that is the same every time for the same arrival time and seed: a replay job derives its
 * replays' ids from the job and the original, so a page sent again after a crash carries the ids it had
 * (the consumer then records each once, as it does a redelivered message).
 */
export function derivedPostbackId(receivedAt: Date, seed: string): string {
  return `pb_${receivedAt.getTime().toString(36).padStart(TIME_DIGITS, '0')}${createHash('sha256').update(seed).digest('hex').slice(0, 20)}`;
}

export const REPLAY_JOB_ID_RANDOM_BYTES = 8;

/** `rj_`, the creation time, then REPLAY_JOB_ID_RANDOM_BYTES random bytes in hex. */
export function newReplayJobId(createdAt: Date, randomHex: string): string {
  return `rj_${createdAt.getTime().toString(36).padStart(TIME_DIGITS, '0')}${randomPart(randomHex, REPLAY_JOB_ID_RANDOM_BYTES, 'hex')}`;
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

export const CONVERSION_ID_RANDOM_BYTES = 12;

/** `cv_` then CONVERSION_ID_RANDOM_BYTES random bytes in hex. */
export function newConversionId(randomHex: string): string {
  return `cv_${randomPart(randomHex, CONVERSION_ID_RANDOM_BYTES, 'hex')}`;
}

/** Click ids this service issues (the click redirect): only such a click can be recorded after its conversion. */
export const CLICK_ID_PREFIX = 'ck_';

export const CLICK_ID_RANDOM_BYTES = 12;

/** `ck_` then 96 random bits in base64url (16 characters): valid under the contract's click-id rule. */
export function newClickId(randomBase64url: string): string {
  return `${CLICK_ID_PREFIX}${randomPart(randomBase64url, CLICK_ID_RANDOM_BYTES, 'base64url')}`;
}

export const PIXEL_HIT_ID_RANDOM_BYTES = 12;

/** `ph_` then PIXEL_HIT_ID_RANDOM_BYTES random bytes in hex. */
export function newPixelHitId(randomHex: string): string {
  return `ph_${randomPart(randomHex, PIXEL_HIT_ID_RANDOM_BYTES, 'hex')}`;
}

export function isIssuedClickId(clickId: string): boolean {
  return clickId.startsWith(CLICK_ID_PREFIX);
}
