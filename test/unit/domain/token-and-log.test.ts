import {
  newPostbackId,
  POSTBACK_ID_RANDOM_BYTES,
  receivedAtOfPostbackId,
} from '../../../functions/domain/ids';
import { CountingRandom } from '../../support/fakes';
import { redactBody, redactFormEncoded } from '../../../functions/domain/postback-log';
import { deriveToken, hashToken, readToken, postbackUrls } from '../../../functions/domain/token';

describe('integration tokens', () => {
  test('a token carries 256 bits, depends on the secret, and its hash is not the token', () => {
    const token = deriveToken('secret-a'.repeat(8), 'acct-1', 'nonce-1');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(deriveToken('secret-b'.repeat(8), 'acct-1', 'nonce-1')).not.toBe(token);
    expect(deriveToken('secret-a'.repeat(8), 'acct-1', 'nonce-2')).not.toBe(token);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toContain(token);
  });

  test.each([
    ['raw spaces', ' TOKEN '],
    ['encoded spaces', '%20TOKEN%20'],
    ['a tab and a newline', '%09TOKEN%0A'],
  ])('a pasted token with %s is recognised', (_name, segment) => {
    const token = deriveToken('x'.repeat(64), 'acct', 'n');
    expect(readToken(segment.replace('TOKEN', token))).toEqual({ value: token, issues: [] });
  });

  test.each([undefined, '', 'short', '%E0%A4%A', `${'A'.repeat(42)}!`])('%j is not a token', (segment) => {
    expect(readToken(segment)).toEqual({ value: null, issues: [] });
  });

  test("the URLs carry the contract's query template", () => {
    const urls = postbackUrls('https://api.example.com/', 'T'.repeat(43));
    expect(urls.conversionUrl).toBe(
      `https://api.example.com/v1/postbacks/buygoods/${'T'.repeat(43)}/conversion?subid={SUBID}&subid2={SUBID2}&subid3={SUBID3}&subid4={SUBID4}&subid5={SUBID5}&orderid={ORDERID}&commission={COMMISSION_AMOUNT}&product={PRODUCT_CODENAME}&conv_type={CONV_TYPE}&emailhash={EMAILHASH}`,
    );
    expect(urls.refundUrl).toContain('/refund?subid={SUBID}');
  });
});

describe('postback ids', () => {
  test('carry their arrival time to the millisecond and sort by it', () => {
    const random = new CountingRandom();
    const first = newPostbackId(new Date('2026-11-25T10:00:00.123Z'), random.hex(POSTBACK_ID_RANDOM_BYTES));
    const second = newPostbackId(new Date('2026-11-25T10:00:00.124Z'), random.hex(POSTBACK_ID_RANDOM_BYTES));
    expect(receivedAtOfPostbackId(first)).toBe('2026-11-25T10:00:00.123Z');
    expect(first < second).toBe(true);
    expect(receivedAtOfPostbackId('pb_nope')).toBeNull();
  });
});

describe('redaction of the stored raw copy', () => {
  test('form and query values of customer fields are replaced, everything else kept byte for byte', () => {
    const raw =
      'order_id=O%2D1&customer_name=Jane+Doe&Customer_EmailAddress=jane%40example.com&customer_phone=555&subid=a%20b';
    const redacted = redactFormEncoded(raw);
    expect(redacted).not.toMatch(/Jane|jane|555/);
    expect(redacted).toContain('order_id=O%2D1');
    expect(redacted).toContain('subid=a%20b');
  });

  test('the email hash is redacted too, in either spelling', () => {
    const hash = 'ab'.repeat(32);
    const redacted = redactFormEncoded(`orderid=O1&emailhash=${hash}&email_hash=${hash}`);
    expect(redacted).not.toContain(hash);
    expect(redacted).toContain('orderid=O1');
  });

  test('JSON bodies are redacted at any depth', () => {
    const body = JSON.stringify({
      order_id: 'O1',
      customer: { email: 'jane@example.com', name: 'Jane' },
      customer_name: 'Jane',
    });
    expect(redactBody(body)).not.toMatch(/jane|Jane/);
    expect(JSON.parse(redactBody(body)!).order_id).toBe('O1');
  });

  test('anything shaped like an email in an unparseable body is masked', () => {
    expect(redactBody('{"customer_emailaddress":"jane@example.com"')).not.toContain('jane@example.com');
  });

  test('an email-shaped word is masked in prose, raw or percent-encoded; other words stay as received', () => {
    expect(redactBody('note: write to jane@example.com or j%40ex.org, not @handle or a@.b')).toBe(
      'note: write to [redacted] or [redacted], not @handle or a@.b',
    );
    expect(redactBody(`order_id=O1&x=${'b'.repeat(64 * 1024)}`)).toBe(
      `order_id=O1&x=${'b'.repeat(64 * 1024)}`,
    );
  });
});
