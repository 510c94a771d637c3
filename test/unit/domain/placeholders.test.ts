import { isPlaceholder, readValue } from '../../../functions/domain/placeholders';

describe('isPlaceholder', () => {
  it.each([
    ['an absent value (null)', null],
    ['an absent value (undefined)', undefined],
    ['the empty string', ''],
    ['a blank string', '   \t '],
    ['the word null', 'null'],
    ['the word NULL in capitals', 'NULL'],
    ['the word undefined', 'Undefined'],
    ['the word none', 'none'],
    ['the word nil', 'NIL'],
    ['the word REPLACE', 'REPLACE'],
    ['the word replace in lower case', 'replace'],
    ['the word OPTIONAL', 'OPTIONAL'],
    ['a stand-in word with surrounding spaces', '  null  '],
    ['an unfilled {SUBID} token', '{SUBID}'],
    ['an unfilled {{subid}} token', '{{subid}}'],
    ['empty braces', '{}'],
    ['a [SUBID] token', '[SUBID]'],
    ['a %SUBID% token', '%SUBID%'],
    ['a #SUBID# token', '#SUBID#'],
    ['a token with spaces around it', ' {ORDERID} '],
    ['a double-encoded opening brace', '%7BSUBID'],
    ['a double-encoded closing brace in lower case', 'abc%7d'],
    ['a fully double-encoded token', '%7BCOMMISSION_AMOUNT%7D'],
  ])('treats %s as a placeholder', (_label, value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it.each([
    ['an ordinary click id', 'abc123'],
    ['zero', '0'],
    ['a word that merely contains a stand-in word', 'nullify'],
    ['a value with one brace only', '{abc'],
    ['a value with a brace in the middle', 'a{b}c'],
    ['a single percent sign', '%'],
    ['a single hash', '#'],
    ['an amount', '47.90'],
    ['an email address', 'buyer@example.com'],
    ['a percent-encoded space left in the value', 'a%20b'],
  ])('does not treat %s as a placeholder', (_label, value) => {
    expect(isPlaceholder(value)).toBe(false);
  });
});

describe('readValue', () => {
  it('trims a real value', () => {
    expect(readValue('  abc ')).toBe('abc');
  });

  it.each([[null], [''], ['{SUBID2}'], ['none']])('gives null for the placeholder %p', (value) => {
    expect(readValue(value)).toBeNull();
  });
});
