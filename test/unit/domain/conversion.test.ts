import {
  decideConversionWrite,
  isChargeSlot,
  slotOf,
  type Attribution,
  type ConversionRecord,
  type WriteContext,
} from '../../../functions/domain/conversion';

const NO_ATTRIBUTION: Attribution = { linkId: null, campaign: null, productId: null, merchantId: null };
import { parsePostback } from '../../../functions/domain/parse-postback';
import type { ConversionKind, ParsedPostback } from '../../../functions/domain/postback';

function purchase(rawQuery: string): ParsedPostback & { kind: ConversionKind } {
  const parsed = parsePostback({
    method: 'GET',
    channel: 'conversion',
    rawQuery,
    body: null,
    contentType: null,
  });
  if (!parsed.ok) throw new Error(`fixture did not parse: ${parsed.error?.code ?? parsed.ignored}`);
  return parsed.postback as ParsedPostback & { kind: ConversionKind };
}

const context = (postbackId: string, receivedAt: string): WriteContext => ({
  accountId: 'acct-1',
  attribution: NO_ATTRIBUTION,
  postbackId,
  receivedAt,
  now: '2026-12-01T12:00:00.000Z',
  newConversionId: () => 'cv_1',
});

function apply(existing: ConversionRecord | null, rawQuery: string, postbackId: string, receivedAt: string) {
  const decision = decideConversionWrite(existing, purchase(rawQuery), context(postbackId, receivedAt));
  return decision;
}

const ORIGINAL = 'orderid=ORD-1&subid=clk1&commission=47.90';
const CORRECTED = 'orderid=ORD-1&subid=clk1&commission=45.00';

test('the first content creates version 1; the same content again is a duplicate; the same postback again recovers its outcome', () => {
  const created = apply(null, ORIGINAL, 'pb_1', '2026-12-01T10:00:00.000Z');
  expect(created).toMatchObject({
    action: 'create',
    record: { version: 1, commissionCents: 4790, occurredAt: '2026-12-01T10:00:00.000Z' },
  });
  expect(
    apply(created.record, 'commission=47.90&subid=clk1&orderid=ORD-1', 'pb_2', '2026-12-01T10:05:00.000Z')
      .action,
  ).toBe('duplicate');
  expect(apply(created.record, ORIGINAL, 'pb_1', '2026-12-01T10:00:00.000Z')).toMatchObject({
    action: 'already_applied',
    outcome: 'accepted',
  });
});

test('a content received later changes the conversion in place and keeps the old values in its history', () => {
  const created = apply(null, ORIGINAL, 'pb_1', '2026-12-01T10:00:00.000Z').record;
  const updated = apply(created, CORRECTED, 'pb_2', '2026-12-01T11:00:00.000Z');
  expect(updated).toMatchObject({ action: 'update', changed: ['commissionCents'] });
  expect(updated.record).toMatchObject({
    commissionCents: 4500,
    version: 2,
    conversionId: 'cv_1',
    history: [{ version: 1, postbackId: 'pb_2', previous: { commissionCents: 4790 } }],
  });
});

test('a content received before the one in force, processed after it, is kept in the history and changes nothing', () => {
  // The correction was processed first (its original waited in the dead-letter queue).
  const corrected = apply(null, CORRECTED, 'pb_2', '2026-12-01T11:00:00.000Z').record;
  const late = apply(corrected, ORIGINAL, 'pb_1', '2026-12-01T10:00:00.000Z');
  expect(late).toMatchObject({ action: 'update', changed: [] });
  expect(late.record).toMatchObject({
    commissionCents: 4500,
    version: 2,
    occurredAt: '2026-12-01T10:00:00.000Z',
    history: [{ version: 1, postbackId: 'pb_1', previous: {}, superseded: { commissionCents: 4790 } }],
  });
  // Both orders of processing end on the same content.
  const inOrder = apply(
    apply(null, ORIGINAL, 'pb_1', '2026-12-01T10:00:00.000Z').record,
    CORRECTED,
    'pb_2',
    '2026-12-01T11:00:00.000Z',
  ).record;
  expect({
    commissionCents: late.record.commissionCents,
    version: late.record.version,
    occurredAt: late.record.occurredAt,
  }).toEqual({
    commissionCents: inOrder.commissionCents,
    version: inOrder.version,
    occurredAt: inOrder.occurredAt,
  });
  // And the late one's copies are duplicates from then on.
  expect(apply(late.record, ORIGINAL, 'pb_3', '2026-12-01T12:00:00.000Z').action).toBe('duplicate');
});

test('two contents received in the same millisecond end on the same one whatever the order of processing', () => {
  const at = '2026-12-01T10:00:00.000Z';
  const aThenB = apply(apply(null, ORIGINAL, 'pb_a', at).record, CORRECTED, 'pb_b', at).record;
  const bThenA = apply(apply(null, CORRECTED, 'pb_b', at).record, ORIGINAL, 'pb_a', at).record;
  expect(aThenB.commissionCents).toBe(4500);
  expect(bThenA.commissionCents).toBe(4500);
});

describe('conversions recorded before arrival stamps were kept', () => {
  const legacy = (record: ConversionRecord): ConversionRecord => {
    const { contentStamp: _dropped, ...rest } = record;
    return rest;
  };

  test('with no history, their one content arrived when they occurred: a late original is still superseded', () => {
    const corrected = legacy(apply(null, CORRECTED, 'pb_2', '2026-12-01T11:00:00.000Z').record);
    expect(apply(corrected, ORIGINAL, 'pb_1', '2026-12-01T10:00:00.000Z').record.commissionCents).toBe(4500);
  });

  test('with a history, when the content in force arrived is unknown: the last processed wins', () => {
    const updated = legacy(
      apply(
        apply(null, ORIGINAL, 'pb_1', '2026-12-01T10:00:00.000Z').record,
        CORRECTED,
        'pb_2',
        '2026-12-01T11:00:00.000Z',
      ).record,
    );
    expect(
      apply(updated, 'orderid=ORD-1&subid=clk1&commission=40.00', 'pb_0', '2026-12-01T09:00:00.000Z').record
        .commissionCents,
    ).toBe(4000);
  });
});

describe('slots: one per rebill charge, one per reversal kind and charge named', () => {
  const slot = (query: string) => slotOf(purchase(query));
  it('keeps the purchase and the upsell in the primary slot whatever their date', () => {
    expect(slot('orderid=S1&commission=1&action_type=neworder&rr_createdate=2026-12-08+16:16:51')).toBe(
      'primary',
    );
    expect(slot('orderid=S1&commission=1&conv_type=upsell')).toBe('primary');
  });

  it('keys a rebill by its charge time, so a retry is the same slot and the next charge another', () => {
    expect(slot('orderid=S1&commission=1&action_type=rebill&rr_createdate=2026-12-08+16:16:51')).toBe(
      'rebill#2026-12-08T16:16:51Z',
    );
    expect(slot('orderid=S1&commission=1&action_type=rebill&rr_createdate=2027-01-08+16:16:51')).toBe(
      'rebill#2027-01-08T16:16:51Z',
    );
  });

  it('keys an undated rebill by its content without customer details, so a redacted replay finds the same charge', () => {
    const undated =
      'orderid=S1&commission=19.90&action_type=rebill&rr_createdate=0000-00-00+00:00:00&subid=clk-1';
    const key = slot(`${undated}&customer_emailaddress=a@example.com&customer_name=Ann`);
    expect(key).toMatch(/^rebill#content-[0-9a-f]{24}$/);
    expect(slot(`${undated}&customer_name=%5Bredacted%5D`)).toBe(key);
    expect(slot(undated.replace('19.90', '29.90'))).not.toBe(key);
  });

  it('keys a reversal by the charge it names, or by its kind alone', () => {
    expect(slot('orderid=S1&action_type=refund&rr_createdate=2026-12-08+16:16:51')).toBe(
      'refund#2026-12-08T16:16:51Z',
    );
    expect(slot('orderid=S1&action_type=chargeback')).toBe('chargeback');
    expect(slot('orderid=S1&action_type=cancel&rr_createdate=0000-00-00+00:00:00')).toBe('cancel');
  });

  it('tells charges from reversals', () => {
    expect(
      ['primary', 'rebill#2026-12-08T16:16:51Z', 'refund', 'refund#2026-12-08T16:16:51Z'].map((s) =>
        isChargeSlot(s as never),
      ),
    ).toEqual([true, true, false, false]);
  });
});
