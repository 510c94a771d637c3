import {
  CONTENT_KEYS,
  CONVERSION_CONTENT,
  contentOf,
  conversionFields,
  fingerprintPostback,
} from '../../../functions/domain/conversion-content';
import { decideConversionWrite, type WriteContext } from '../../../functions/domain/conversion';
import { parsePostback } from '../../../functions/domain/parse-postback';
import type { ConversionKind, ParsedPostback, RawPostback } from '../../../functions/domain/postback';
import { formPost, rawPostback } from '../../support/raw-postback';

function parsed(raw: RawPostback): ParsedPostback & { kind: ConversionKind } {
  const outcome = parsePostback(raw);
  if (!outcome.ok) throw new Error(`expected a parsed postback, got ${JSON.stringify(outcome)}`);
  return outcome.postback as ParsedPostback & { kind: ConversionKind };
}

const PURCHASE = 'subid=c1&subid2=s2&orderid=BG20&commission=47.90&product=keto&emailhash=' + 'ab'.repeat(32);
const IPN =
  'action_type=sale&orderid=BG22&aff_commission=35.55&total_clean=49.00&currency=EUR&order_id_global=G22&is_test=1&name=Ann%20Lee&email=ann%40example.com';

const CONTEXT: WriteContext = {
  accountId: 'acme',
  attribution: { linkId: null, campaign: null, productId: null, merchantId: null },
  postbackId: 'pb_original',
  receivedAt: '2026-11-30T10:00:00.000Z',
  now: '2026-11-30T10:00:01.000Z',
  newConversionId: () => 'cv_1',
};

/** Today's table with one field added after it, the way the next Buygoods parameter would be. */
const WITH_A_NEW_FIELD = {
  ...CONVERSION_CONTENT,
  chargedAt: { since: 2, read: (value: string | null | undefined) => value ?? null },
};

describe('a conversion content fingerprint', () => {
  // Every stored conversion and commission event carries these: they may never change.
  it.each([
    [
      'a purchase by query',
      rawPostback({ rawQuery: PURCHASE }),
      '8790bccdcedabe4d598887ad853a1d9e2da36367bc79319a0dea1cecba8d07e9',
    ],
    [
      'a refund',
      rawPostback({ channel: 'refund', rawQuery: 'orderid=BG21&commission=10' }),
      '94d7fff525eca34f25e28ecccdd712dffc718c5397b7b43e87ba1e51977d7050',
    ],
    [
      'an IPN sale with customer, total and test flag',
      formPost(IPN),
      '0d92ee6ef4f6744b550f7bb98668b4ff77ec2b82a164685446fe4770af2be438',
    ],
  ])('of %s is the one stored before this table existed', (_label, raw, stored) => {
    expect(fingerprintPostback(parsed(raw))).toBe(stored);
  });

  it('stays the same when a field is added and the retried content does not have it', () => {
    const retry = parsed(formPost(IPN));
    expect(retry.chargedAt).toBeNull();
    expect(fingerprintPostback(retry, WITH_A_NEW_FIELD)).toBe(fingerprintPostback(retry));
    // Hashing the new field as absent, the way scheme 1 hashes its own fields, would change every stored fingerprint.
    const naive = { ...WITH_A_NEW_FIELD, chargedAt: { ...WITH_A_NEW_FIELD.chargedAt, since: 1 } };
    expect(fingerprintPostback(retry, naive)).not.toBe(fingerprintPostback(retry));
  });

  it('counts an added field once it is present, so content that differs only there is an update', () => {
    const charged = parsed(formPost(`${IPN}&rr_createdate=2026-11-30%2010:00:00`));
    const other = { ...charged, chargedAt: '2026-12-01T10:00:00Z' };
    expect(charged.chargedAt).toBe('2026-11-30T10:00:00Z');
    expect(fingerprintPostback(charged, WITH_A_NEW_FIELD)).not.toBe(fingerprintPostback(charged));
    expect(fingerprintPostback(other, WITH_A_NEW_FIELD)).not.toBe(
      fingerprintPostback(charged, WITH_A_NEW_FIELD),
    );
  });

  it('makes a Buygoods retry of content recorded before the field was added a duplicate, not an update', () => {
    const original = parsed(formPost(IPN));
    const created = decideConversionWrite(null, original, CONTEXT);
    expect(created.action).toBe('create');
    // After the deploy the same content comes again: its fingerprint under the new table is one the record holds.
    const retry = parsed(formPost(IPN));
    expect(created.record.fingerprints).toContain(fingerprintPostback(retry, WITH_A_NEW_FIELD));
    const decision = decideConversionWrite(created.record, retry, {
      ...CONTEXT,
      postbackId: 'pb_retry',
      receivedAt: '2026-12-02T10:00:00.000Z',
    });
    expect(decision.action).toBe('duplicate');
  });
});

describe('the content table', () => {
  it('is what a record stores, what an update compares and what the fingerprint hashes, one key list for all', () => {
    const postback = parsed(formPost(IPN));
    expect(Object.keys(contentOf(postback))).toEqual(CONTENT_KEYS);
    expect(Object.keys(conversionFields(postback))).toEqual(CONTENT_KEYS);
    const created = decideConversionWrite(null, postback, CONTEXT);
    for (const key of CONTENT_KEYS) expect(created.record[key]).toEqual(postback[key]);
  });
});
