import { createHash } from 'node:crypto';
import { hashEmail, readEmailAddress, readEmailHash, readEmail } from '../../../functions/domain/email';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HASH = 'a'.repeat(64);

describe('readEmailAddress', () => {
  it('trims and lower-cases an email', () => {
    expect(readEmailAddress('  Buyer.Name@Example.COM ')).toEqual({
      value: 'buyer.name@example.com',
      issues: [],
    });
  });

  it.each([
    ['buyer'],
    ['buyer@'],
    ['@example.com'],
    ['buyer@example'],
    ['buy er@example.com'],
    ['a@b@example.com'],
    [`${'a'.repeat(250)}@example.com`],
  ])('drops %p as email_invalid', (raw) => {
    expect(readEmailAddress(raw)).toEqual({ value: null, issues: ['email_invalid'] });
  });

  it.each([[null], [''], ['{EMAIL}']])(
    'reads the absent or placeholder %p as no email without an issue',
    (raw) => {
      expect(readEmailAddress(raw)).toEqual({ value: null, issues: [] });
    },
  );
});

describe('readEmailHash', () => {
  it('lower-cases a 64-character hex hash', () => {
    expect(readEmailHash(` ${'AB'.repeat(32)} `)).toEqual({ value: 'ab'.repeat(32), issues: [] });
  });

  it.each([['abc'], ['g'.repeat(64)], ['a'.repeat(63)], ['a'.repeat(65)]])(
    'drops %p as email_hash_invalid',
    (raw) => {
      expect(readEmailHash(raw)).toEqual({ value: null, issues: ['email_hash_invalid'] });
    },
  );

  it.each([[null], [''], ['{EMAILHASH}']])(
    'reads the absent or placeholder %p as no hash without an issue',
    (raw) => {
      expect(readEmailHash(raw)).toEqual({ value: null, issues: [] });
    },
  );
});

describe('readEmail', () => {
  it('computes the SHA-256 of the normalised email when no hash is given', () => {
    expect(readEmail(' Buyer@Example.com', null)).toEqual({
      value: { email: 'buyer@example.com', emailHash: sha256('buyer@example.com') },
      issues: [],
    });
  });

  it('keeps a given hash rather than computing one', () => {
    expect(readEmail('buyer@example.com', HASH)).toEqual({
      value: { email: 'buyer@example.com', emailHash: HASH },
      issues: [],
    });
  });

  it('falls back to the computed hash when the given one is invalid, and flags it', () => {
    expect(readEmail('buyer@example.com', 'nothex')).toEqual({
      value: { email: 'buyer@example.com', emailHash: sha256('buyer@example.com') },
      issues: ['email_hash_invalid'],
    });
  });

  it('has neither email nor hash when both are invalid', () => {
    expect(readEmail('nobody', 'nothex')).toEqual({
      value: null,
      issues: ['email_invalid', 'email_hash_invalid'],
    });
  });

  it('hashes exactly the normalised text', () => {
    expect(hashEmail('buyer@example.com')).toBe(sha256('buyer@example.com'));
  });
});
