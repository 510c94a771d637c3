/**
 * The id formats: prefix, time and random part, each exactly as long as it was when the domain drew its
 * own random bytes; the random part comes from the RandomSource port, and one of the wrong shape is refused.
 */
import { cryptoRandomSource } from '../../../functions/adapters/crypto-random-source';
import { readClickId } from '../../../functions/domain/click-id';
import {
  CLICK_ID_RANDOM_BYTES,
  CONVERSION_ID_RANDOM_BYTES,
  isIssuedClickId,
  isReplayJobId,
  newClickId,
  newConversionId,
  newPixelHitId,
  newPostbackId,
  newReplayJobId,
  PIXEL_HIT_ID_RANDOM_BYTES,
  POSTBACK_ID_RANDOM_BYTES,
  receivedAtOfPostbackId,
  REPLAY_JOB_ID_RANDOM_BYTES,
} from '../../../functions/domain/ids';
import { newTokenNonce, TOKEN_NONCE_RANDOM_BYTES } from '../../../functions/domain/token';
import { CountingRandom } from '../../support/fakes';

const at = new Date('2026-11-25T10:00:00.123Z');

test('each id is its prefix, its time where it has one, and its random part, verbatim', () => {
  const random = new CountingRandom();
  expect(newPostbackId(at, random.hex(POSTBACK_ID_RANDOM_BYTES))).toBe(
    `pb_${at.getTime().toString(36).padStart(10, '0')}${'0'.repeat(18)}01`,
  );
  expect(newReplayJobId(at, random.hex(REPLAY_JOB_ID_RANDOM_BYTES))).toBe(
    `rj_${at.getTime().toString(36).padStart(10, '0')}${'0'.repeat(14)}02`,
  );
  expect(newConversionId(random.hex(CONVERSION_ID_RANDOM_BYTES))).toBe(`cv_${'0'.repeat(22)}03`);
  expect(newPixelHitId(random.hex(PIXEL_HIT_ID_RANDOM_BYTES))).toBe(`ph_${'0'.repeat(22)}04`);
  expect(newClickId(random.base64url(CLICK_ID_RANDOM_BYTES))).toBe(`ck_${'A'.repeat(15)}F`);
  expect(newTokenNonce(random.hex(TOKEN_NONCE_RANDOM_BYTES))).toBe(`${'0'.repeat(30)}06`);
});

test('ids made from the real generator have the lengths and shapes the rest of the service checks', () => {
  const r = cryptoRandomSource;
  const postbackId = newPostbackId(at, r.hex(POSTBACK_ID_RANDOM_BYTES));
  expect(postbackId).toMatch(/^pb_[0-9a-z]{10}[0-9a-f]{20}$/);
  expect(receivedAtOfPostbackId(postbackId)).toBe(at.toISOString());
  expect(isReplayJobId(newReplayJobId(at, r.hex(REPLAY_JOB_ID_RANDOM_BYTES)))).toBe(true);
  expect(newConversionId(r.hex(CONVERSION_ID_RANDOM_BYTES))).toMatch(/^cv_[0-9a-f]{24}$/);
  expect(newPixelHitId(r.hex(PIXEL_HIT_ID_RANDOM_BYTES))).toMatch(/^ph_[0-9a-f]{24}$/);
  const clickId = newClickId(r.base64url(CLICK_ID_RANDOM_BYTES));
  expect(clickId).toMatch(/^ck_[A-Za-z0-9_-]{16}$/);
  expect(isIssuedClickId(clickId)).toBe(true);
  expect(readClickId(clickId)).toMatchObject({ status: 'valid', value: clickId });
  expect(newTokenNonce(r.hex(TOKEN_NONCE_RANDOM_BYTES))).toMatch(/^[0-9a-f]{32}$/);
});

test.each([
  ['too short', () => newPostbackId(at, 'ab')],
  ['too long', () => newConversionId('0'.repeat(26))],
  ['upper-case hex', () => newPixelHitId('A'.repeat(24))],
  ['hex where base64url is due', () => newClickId('0'.repeat(24))],
  ['base64url where hex is due', () => newTokenNonce('_'.repeat(32))],
])('a random part of the wrong shape (%s) is refused, never turned into an id', (_case, make) => {
  expect(make).toThrow(/random bytes/);
});

describe.each([
  ['the node:crypto adapter', () => cryptoRandomSource],
  ['the counting fake', () => new CountingRandom()],
])('RandomSource: %s', (_name, make) => {
  test.each([1, 6, 10, 12, 16])('draws %i bytes as hex and as unpadded base64url', (bytes) => {
    const random = make();
    expect(random.hex(bytes)).toMatch(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
    expect(Buffer.from(random.base64url(bytes), 'base64url')).toHaveLength(bytes);
    expect(random.base64url(bytes)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test('no two draws are alike', () => {
    const random = make();
    const draws = Array.from({ length: 200 }, () => random.hex(8));
    expect(new Set(draws).size).toBe(draws.length);
  });
});

test('the counting fake is the same every run, and counts its draws', () => {
  const [a, b] = [new CountingRandom(), new CountingRandom()];
  expect([a.hex(4), a.hex(4)]).toEqual([b.hex(4), b.hex(4)]);
  expect(a.hex(2)).toBe('0003');
  expect(a.draws).toBe(3);
  expect(new CountingRandom(255).hex(2)).toBe('0100');
});
