import { CLICK_ID_PATTERN, isValidClickId, readClickId } from '../../../functions/domain/click-id';

describe('readClickId', () => {
  it.each([
    ['letters and digits', 'abc123', 'abc123'],
    ['every allowed punctuation mark', 'a.b_c~d:e|f-g', 'a.b_c~d:e|f-g'],
    ['a single character', 'x', 'x'],
    ['exactly 255 characters', 'a'.repeat(255), 'a'.repeat(255)],
    ['surrounding spaces, trimmed', '  clk-1  ', 'clk-1'],
  ])('accepts %s as a valid click id', (_label, raw, value) => {
    expect(readClickId(raw)).toEqual({ raw, value, status: 'valid', issues: [] });
  });

  it('marks an absent click id missing', () => {
    expect(readClickId(null)).toEqual({
      raw: null,
      value: null,
      status: 'missing',
      issues: ['click_id_missing'],
    });
  });

  it.each([[''], ['   ']])('marks the blank click id %p missing and keeps it raw', (raw) => {
    expect(readClickId(raw)).toEqual({
      raw,
      value: null,
      status: 'missing',
      issues: ['click_id_missing'],
    });
  });

  it.each([['{SUBID}'], ['null'], ['REPLACE'], ['%7BSUBID%7D'], ['[subid]']])(
    'marks the placeholder %p missing, keeps it raw for review and never stores it as the value',
    (raw) => {
      expect(readClickId(raw)).toEqual({
        raw,
        value: null,
        status: 'missing',
        issues: ['click_id_placeholder'],
      });
    },
  );

  it.each([
    ['a space inside', 'abc def', ['click_id_malformed']],
    ['a slash', 'abc/def', ['click_id_malformed']],
    ['non-ASCII letters', 'clické', ['click_id_malformed']],
    ['a partly filled token', 'abc{SUBID2}', ['click_id_malformed']],
    ['256 allowed characters', 'a'.repeat(256), ['click_id_too_long']],
    ['256 characters with a bad one', `${'a'.repeat(255)}/`, ['click_id_malformed', 'click_id_too_long']],
  ])('marks a click id with %s malformed and keeps it raw', (_label, raw, issues) => {
    expect(readClickId(raw)).toEqual({ raw, value: null, status: 'malformed', issues });
  });
});

describe('isValidClickId', () => {
  it.each([
    ['abc-123', true],
    ['a'.repeat(255), true],
    ['', false],
    [' abc', false],
    ['none', false],
    ['OPTIONAL', false],
    ['a'.repeat(256), false],
    ['a&b', false],
  ])('judges %p as %p', (value, expected) => {
    expect(isValidClickId(value)).toBe(expected);
  });

  it('exports the pattern a stored click id matches', () => {
    expect(CLICK_ID_PATTERN.test('a.b_c~d:e|f-g')).toBe(true);
    expect(CLICK_ID_PATTERN.test('a b')).toBe(false);
  });
});
