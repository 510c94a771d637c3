import { createHash } from 'node:crypto';
import { conversionFields, fingerprintPostback } from '../../../functions/domain/conversion-content';
import { ISSUE_EXPLANATIONS, explainIssue } from '../../../functions/domain/issue-explanations';
import { parsePostback } from '../../../functions/domain/parse-postback';
import type { ParsedPostback, ParseOutcome, RawPostback } from '../../../functions/domain/postback';
import { formPost, jsonPost, rawPostback } from '../../support/raw-postback';

const TEMPLATE_QUERY =
  'subid=clk_123&subid2=aff-2&subid3=&subid4={SUBID4}&subid5=%7BSUBID5%7D&orderid=BG100045' +
  '&commission=47.90&product=keto-x3&conv_type=frontend&emailhash=' +
  'AB'.repeat(32);

/** A realistic Buygoods vendor IPN form post; order_id and subid arrive twice with equal values. */
function ipnBody(overrides: Record<string, string> = {}): string {
  const fields: Array<[string, string]> = [
    ['action_type', 'neworder'],
    ['order_id', 'BG200017'],
    ['order_id_global', 'G-778'],
    ['flag_upsell', '0'],
    ['product_codename', 'keto-x3'],
    ['product_name', 'Keto X3 (3 bottles)'],
    ['customer_name', 'Jane Doe'],
    ['customer_emailaddress', ' Jane.Doe@Example.com '],
    ['subid', 'clk_777'],
    ['subid2', 'campaign-9'],
    ['subid3', ''],
    ['subid4', ''],
    ['subid5', ''],
    ['aff_commission', '35.55'],
    ['total_clean', '69.00'],
    ['currency', 'usd'],
    ['is_test', '0'],
    ['rr_createdate', '2026-11-08 16:16:51'],
    ['date_canceled', '0000-00-00 00:00:00'],
    ['order_id', 'BG200017'],
    ['subid', 'clk_777'],
  ];
  const merged = fields.map(([key, value]): [string, string] => [key, overrides[key] ?? value]);
  return new URLSearchParams(merged).toString();
}

function parsed(raw: RawPostback): ParsedPostback {
  const outcome = parsePostback(raw);
  if (!outcome.ok)
    throw new Error(`expected a parsed postback, got ${outcome.error?.code ?? outcome.ignored}`);
  return outcome.postback;
}

function rejected(raw: RawPostback): Extract<ParseOutcome, { ok: false; ignored?: undefined }> {
  const outcome = parsePostback(raw);
  if (outcome.ok || outcome.ignored !== undefined) throw new Error('expected a rejection');
  return outcome;
}

describe('parsePostback: the affiliate GET template', () => {
  it('reads every token of a filled-in template', () => {
    expect(parsed(rawPostback({ rawQuery: TEMPLATE_QUERY }))).toEqual({
      kind: 'purchase',
      orderId: 'BG100045',
      clickId: { raw: 'clk_123', value: 'clk_123', status: 'valid' },
      subIds: { subid2: 'aff-2', subid3: null, subid4: null, subid5: null },
      commissionCents: 4790,
      productCodename: 'keto-x3',
      parentOrderId: null,
      orderIdGlobal: null,
      customer: { name: null, email: null, emailHash: 'ab'.repeat(32) },
      totalCents: null,
      currency: null,
      isTest: false,
      chargedAt: null,
      issues: [],
    });
  });

  it('records an upsell with its parent order', () => {
    const postback = parsed(
      rawPostback({ rawQuery: 'subid=clk1&orderid=BG2&commission=10&conv_type=upsell&upsell_parent=BG1' }),
    );
    expect(postback.kind).toBe('upsell');
    expect(postback.parentOrderId).toBe('BG1');
  });

  it('records a template nobody filled in with the click id missing, but rejects its order id', () => {
    const outcome = rejected(
      rawPostback({ rawQuery: 'subid={SUBID}&orderid={ORDERID}&commission={COMMISSION_AMOUNT}' }),
    );
    expect(outcome.error.code).toBe('order_id_placeholder');
    expect(outcome.clickId).toEqual({ raw: '{SUBID}', value: null, status: 'missing' });
    expect(outcome.issues).toEqual(['click_id_placeholder']);
    expect(outcome.kind).toBe('purchase');
    expect(outcome.orderId).toBeNull();
  });

  it('still records a conversion whose click id is malformed, keeping the raw value', () => {
    const postback = parsed(rawPostback({ rawQuery: 'subid=bad%20click%2Fid&orderid=BG3&commission=5' }));
    expect(postback.clickId).toEqual({ raw: 'bad click/id', value: null, status: 'malformed' });
    expect(postback.issues).toEqual(['click_id_malformed']);
  });

  it('still records a conversion with no click id', () => {
    const postback = parsed(rawPostback({ rawQuery: 'orderid=BG4&commission=5' }));
    expect(postback.clickId).toEqual({ raw: null, value: null, status: 'missing' });
    expect(postback.issues).toEqual(['click_id_missing']);
  });

  it.each([
    ['an unfilled commission', 'commission={COMMISSION_AMOUNT}', null, ['amount_placeholder']],
    ['an unreadable commission', 'commission=abc', null, ['amount_unparseable']],
    ['no commission at all', '', null, ['amount_missing']],
    ['a negative commission, kept as its magnitude', 'commission=-47.90', 4790, ['amount_negative']],
    ['a decimal-comma commission', 'commission=47,90', 4790, []],
    ['a commission with a currency code', 'commission=USD+47.90', 4790, []],
  ])('records a purchase with %s, flagged and not rejected', (_label, commissionParam, cents, issues) => {
    const postback = parsed(rawPostback({ rawQuery: `subid=c1&orderid=BG5&${commissionParam}` }));
    expect(postback.commissionCents).toBe(cents);
    expect(postback.issues).toEqual(issues);
  });

  it.each([
    ['orderid=', 'order_id_missing'],
    ['orderid=%7BORDERID%7D', 'order_id_placeholder'],
    ['orderid=12.5', 'order_id_invalid'],
    ['', 'order_id_missing'],
  ])('rejects the order id in %p with %s, still judging the click id', (orderParam, code) => {
    const outcome = rejected(rawPostback({ rawQuery: `subid=clk9&${orderParam}` }));
    expect(outcome.error.code).toBe(code);
    expect(outcome.clickId.status).toBe('valid');
  });

  it('rejects a postback whose parameters conflict, naming the key', () => {
    const outcome = rejected(rawPostback({ rawQuery: 'subid=a&orderid=BG6&commission=1&commission=2' }));
    expect(outcome.error.code).toBe('parameter_conflict');
    expect(outcome.error.message).toContain('commission');
    expect(outcome.orderId).toBe('BG6');
    expect(outcome.clickId.value).toBe('a');
  });

  it('rejects a postback whose order id aliases disagree', () => {
    expect(rejected(rawPostback({ rawQuery: 'orderid=BG7&transaction_id=BG8' })).error.code).toBe(
      'parameter_conflict',
    );
  });

  it('rejects malformed JSON, keeping what the query gave for the log', () => {
    const outcome = rejected(
      rawPostback({
        method: 'POST',
        rawQuery: 'orderid=BG9&subid=c9',
        body: '{"commission":',
        contentType: 'application/json',
      }),
    );
    expect(outcome.error.code).toBe('malformed_json');
    expect(outcome.orderId).toBe('BG9');
    expect(outcome.clickId.value).toBe('c9');
  });

  it('reads a JSON postback with a charset', () => {
    const postback = parsed(
      jsonPost(
        { subid: 'c10', orderid: 'BG10', commission: 12.5 },
        { contentType: 'application/json; charset=utf-8' },
      ),
    );
    expect(postback).toMatchObject({ orderId: 'BG10', commissionCents: 1250, clickId: { value: 'c10' } });
  });
});

describe('parsePostback: the refund URL', () => {
  it.each([
    ['', 'refund'],
    ['&event=refund', 'refund'],
    ['&event=cancel', 'cancel'],
    ['&type=chargeback', 'chargeback'],
    ['&event=commission_void', 'commission_void'],
  ])('reads %p as a %s', (eventParam, kind) => {
    expect(
      parsed(
        rawPostback({ channel: 'refund', rawQuery: `subid=c1&orderid=BG11&commission=47.90${eventParam}` }),
      ).kind,
    ).toBe(kind);
  });

  it.each([['-47.90'], ['47.90'], ['$-47.90']])(
    'stores the refund amount %p as a positive magnitude without an issue',
    (amount) => {
      const postback = parsed(
        rawPostback({
          channel: 'refund',
          rawQuery: `orderid=BG12&commission=${encodeURIComponent(amount)}&subid=c`,
        }),
      );
      expect(postback.commissionCents).toBe(4790);
      expect(postback.issues).toEqual([]);
    },
  );

  it('does not flag a refund without an amount, since it reverses the full commission', () => {
    const postback = parsed(rawPostback({ channel: 'refund', rawQuery: 'orderid=BG13&subid=c' }));
    expect(postback.commissionCents).toBeNull();
    expect(postback.issues).toEqual([]);
  });

  it('rejects an unsupported event, recording the order id', () => {
    const outcome = rejected(rawPostback({ channel: 'refund', rawQuery: 'orderid=BG14&event=upgrade' }));
    expect(outcome.error.code).toBe('unsupported_event');
    expect(outcome.orderId).toBe('BG14');
    expect(outcome.kind).toBeNull();
  });
});

describe('parsePostback: vendor IPN form posts', () => {
  it('reads a new order with every IPN field, accepting keys sent twice with equal values', () => {
    const postback = parsed(formPost(ipnBody()));
    expect(postback).toEqual({
      kind: 'purchase',
      orderId: 'BG200017',
      clickId: { raw: 'clk_777', value: 'clk_777', status: 'valid' },
      subIds: { subid2: 'campaign-9', subid3: null, subid4: null, subid5: null },
      commissionCents: 3555,
      productCodename: 'keto-x3',
      parentOrderId: null,
      orderIdGlobal: 'G-778',
      customer: {
        name: 'Jane Doe',
        email: 'jane.doe@example.com',
        emailHash: createHash('sha256').update('jane.doe@example.com').digest('hex'),
      },
      totalCents: 6900,
      currency: 'USD',
      isTest: false,
      chargedAt: '2026-11-08T16:16:51Z',
      issues: [],
    });
  });

  it.each([
    ['neworder', {}, 'purchase'],
    ['neworder', { flag_upsell: '1' }, 'upsell'],
    ['rebill', {}, 'rebill'],
    ['rebill', { flag_upsell: '1' }, 'rebill'],
    ['newsale', {}, 'purchase'],
    ['refund', {}, 'refund'],
    ['cancel', {}, 'cancel'],
    ['canceledfromrebill', {}, 'cancel'],
    ['chargeback', {}, 'chargeback'],
    ['chargebackrefundtime', {}, 'chargeback'],
    ['commission_void', {}, 'commission_void'],
  ])('reads action_type %s %p as %s, on either URL', (actionType, extra, kind) => {
    for (const channel of ['conversion', 'refund'] as const) {
      expect(parsed(formPost(ipnBody({ action_type: actionType, ...extra }), { channel })).kind).toBe(kind);
    }
  });

  it('stores a negative IPN refund commission and total as magnitudes', () => {
    const postback = parsed(
      formPost(ipnBody({ action_type: 'refund', aff_commission: '-35.55', total_clean: '-69.00' })),
    );
    expect(postback).toMatchObject({ kind: 'refund', commissionCents: 3555, totalCents: 6900, issues: [] });
  });

  it('rejects an unknown action_type', () => {
    expect(rejected(formPost(ipnBody({ action_type: 'subscription_paused' }))).error.code).toBe(
      'unsupported_event',
    );
  });

  it.each([['1'], ['true'], ['YES']])('marks is_test=%s as a test order', (isTest) => {
    expect(parsed(formPost(ipnBody({ is_test: isTest }))).isTest).toBe(true);
  });

  it('marks test=1 as a test order too', () => {
    expect(parsed(rawPostback({ rawQuery: 'orderid=BG15&subid=c&commission=1&test=1' })).isTest).toBe(true);
  });

  it('rejects an IPN whose repeated key disagrees', () => {
    const body = `${ipnBody()}&aff_commission=99.00`;
    expect(rejected(formPost(body)).error).toEqual({
      code: 'parameter_conflict',
      message: expect.stringContaining('"aff_commission"'),
    });
  });

  it('reads the email from the email alias', () => {
    const postback = parsed(rawPostback({ rawQuery: 'orderid=BG16&subid=c&commission=1&email=A%40B.CO' }));
    expect(postback.customer.email).toBe('a@b.co');
  });

  it.each([
    ['an invalid email', { customer_emailaddress: 'not-an-email' }, ['email_invalid']],
    ['an invalid order_id_global', { order_id_global: 'G 778' }, ['order_id_global_invalid']],
    ['an invalid currency', { currency: 'dollars' }, ['currency_invalid']],
    ['an unreadable total', { total_clean: 'n/a' }, ['total_unparseable']],
    ['an unfilled total', { total_clean: '{TOTAL}' }, ['total_placeholder']],
    ['a negative total on a sale', { total_clean: '-69.00' }, ['total_negative']],
    [
      'an invalid commission and a malformed click id',
      { aff_commission: 'x', subid: 'a b' },
      ['amount_unparseable', 'click_id_malformed'],
    ],
  ])('records an IPN with %s, flagged and not rejected', (_label, overrides, issues) => {
    expect(parsed(formPost(ipnBody(overrides))).issues).toEqual(issues);
  });

  it.each([
    ['a codename longer than any product can have', 'p'.repeat(65)],
    ['a codename with characters no product can have', 'keto boost'],
  ])('flags %s and leaves it out of the conversion (it could match no product)', (_label, product) => {
    const postback = parsed(
      rawPostback({ rawQuery: `orderid=BG18&subid=c&commission=1&product=${encodeURIComponent(product)}` }),
    );
    expect(postback.productCodename).toBeNull();
    expect(postback.issues).toEqual(['product_codename_invalid']);
  });

  it('keeps a codename a product can have', () => {
    expect(
      parsed(rawPostback({ rawQuery: 'orderid=BG18&subid=c&commission=1&product=Keto-Boost_2.0' }))
        .productCodename,
    ).toBe('Keto-Boost_2.0');
  });

  it('flags an invalid upsell_parent and drops it', () => {
    const postback = parsed(
      rawPostback({
        rawQuery: 'orderid=BG17&subid=c&commission=1&conv_type=upsell&upsell_parent=not%20an%20id',
      }),
    );
    expect(postback.parentOrderId).toBeNull();
    expect(postback.issues).toEqual(['upsell_parent_invalid']);
  });

  it('keeps the issues sorted and unique', () => {
    const postback = parsed(
      jsonPost({ orderid: 'BG18', commission: 'abc', a: {}, b: [], emailhash: 'xyz', currency: 'u$d' }),
    );
    expect(postback.issues).toEqual([
      'amount_unparseable',
      'click_id_missing',
      'currency_invalid',
      'email_hash_invalid',
      'json_value_ignored',
    ]);
  });
});

describe('parsePostback: robustness', () => {
  it('rejects rather than throws when handed something that is not a postback', () => {
    const outcome = parsePostback({
      method: 'GET',
      channel: 'conversion',
      rawQuery: 42,
      body: {},
      contentType: [],
    } as unknown as RawPostback);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error?.code).toBe('order_id_missing');
  });

  it('rejects with parse_failed rather than throws when reading the postback itself fails', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    ) as RawPostback;
    const outcome = parsePostback(hostile);
    expect(outcome).toEqual({
      ok: false,
      error: { code: 'parse_failed', message: 'The postback could not be read' },
      kind: null,
      orderId: null,
      clickId: { raw: null, value: null, status: 'missing' },
      issues: [],
    });
  });
});

describe('fingerprintPostback', () => {
  const base = 'subid=c1&subid2=s2&orderid=BG20&commission=47.90&product=keto&emailhash=' + 'ab'.repeat(32);

  it('is a SHA-256 hex digest', () => {
    expect(fingerprintPostback(parsed(rawPostback({ rawQuery: base })))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same whatever order the parameters came in, and however they were sent', () => {
    const shuffled = base.split('&').reverse().join('&');
    const fromQuery = fingerprintPostback(parsed(rawPostback({ rawQuery: base })));
    expect(fingerprintPostback(parsed(rawPostback({ rawQuery: shuffled })))).toBe(fromQuery);
    expect(fingerprintPostback(parsed(formPost(shuffled)))).toBe(fromQuery);
    const upperCaseKeys = base.replace(
      /(^|&)([^=]+)=/g,
      (_match, sep: string, key: string) => `${sep}${key.toUpperCase()}=`,
    );
    expect(fingerprintPostback(parsed(rawPostback({ rawQuery: upperCaseKeys })))).toBe(fromQuery);
  });

  it('is the same when the commission is written differently but means the same amount', () => {
    const plain = fingerprintPostback(parsed(rawPostback({ rawQuery: base })));
    expect(fingerprintPostback(parsed(rawPostback({ rawQuery: base.replace('47.90', '%2447%2C90') })))).toBe(
      plain,
    );
  });

  it.each([
    ['the commission', ['commission=47.90', 'commission=47.91']],
    ['the click id', ['subid=c1', 'subid=c2']],
    ['a sub id', ['subid2=s2', 'subid2=s3']],
    ['the product', ['product=keto', 'product=slim']],
    ['the order id', ['orderid=BG20', 'orderid=BG21']],
    ['the email hash', ['ab'.repeat(32), 'cd'.repeat(32)]],
  ] as const)('changes when %s changes', (_label, [from, to]) => {
    const before = fingerprintPostback(parsed(rawPostback({ rawQuery: base })));
    expect(fingerprintPostback(parsed(rawPostback({ rawQuery: base.replace(from, to) })))).not.toBe(before);
  });

  it('changes when the kind changes', () => {
    const purchase = fingerprintPostback(parsed(rawPostback({ rawQuery: base })));
    expect(fingerprintPostback(parsed(rawPostback({ rawQuery: `${base}&conv_type=upsell` })))).not.toBe(
      purchase,
    );
    expect(fingerprintPostback(parsed(rawPostback({ channel: 'refund', rawQuery: base })))).not.toBe(
      purchase,
    );
  });

  it('changes when the test flag changes', () => {
    const live = fingerprintPostback(parsed(rawPostback({ rawQuery: base })));
    expect(fingerprintPostback(parsed(rawPostback({ rawQuery: `${base}&is_test=1` })))).not.toBe(live);
  });

  it('ignores the issues, which are derived from the content', () => {
    const postback = parsed(rawPostback({ rawQuery: base }));
    const withOtherIssues: ParsedPostback = { ...postback, issues: ['anything'] };
    expect(fingerprintPostback(withOtherIssues)).toBe(fingerprintPostback(postback));
  });
});

describe('conversionFields', () => {
  it('lists the business fields an update can change, without order id or issues', () => {
    const fields = conversionFields(parsed(formPost(ipnBody())));
    expect(Object.keys(fields)).toEqual([
      'kind',
      'clickId',
      'commissionCents',
      'productCodename',
      'subIds',
      'parentOrderId',
      'orderIdGlobal',
      'customer',
      'totalCents',
      'currency',
      'isTest',
    ]);
    expect(fields.commissionCents).toBe(3555);
  });

  it('shows only the commission as changed when a corrected commission arrives', () => {
    const before = conversionFields(parsed(formPost(ipnBody())));
    const after = conversionFields(parsed(formPost(ipnBody({ aff_commission: '40.00' }))));
    const changed = (Object.keys(after) as Array<keyof typeof after>).filter(
      (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
    );
    expect(changed).toEqual(['commissionCents']);
  });

  it('compares equal for a stored record whose nested keys came back in another order or with absent values', () => {
    const postback = parsed(rawPostback({ rawQuery: 'subid=c1&orderid=BG22&commission=1' }));
    const stored = {
      ...postback,
      clickId: { status: postback.clickId.status, value: postback.clickId.value, raw: postback.clickId.raw },
      customer: { emailHash: null, name: null } as unknown as ParsedPostback['customer'],
      productCodename: undefined as unknown as null,
    };
    expect(JSON.stringify(conversionFields(stored))).toBe(JSON.stringify(conversionFields(postback)));
    expect(fingerprintPostback(stored)).toBe(fingerprintPostback(postback));
  });
});

describe('parsePostback: IPN events that are not conversions', () => {
  it.each([['connection_test'], ['abandon'], ['newcustomer'], ['failedrebill'], ['uncancel'], ['test']])(
    'ignores action_type=%s, naming it, on either URL',
    (actionType) => {
      for (const channel of ['conversion', 'refund'] as const) {
        const outcome = parsePostback(formPost(ipnBody({ action_type: actionType }), { channel }));
        expect(outcome).toMatchObject({
          ok: false,
          ignored: actionType,
          error: null,
          kind: null,
          orderId: 'BG200017',
        });
      }
    },
  );

  it('ignores a connection test that carries no order at all', () => {
    expect(parsePostback(formPost('action_type=connection_test'))).toEqual({
      ok: false,
      ignored: 'connection_test',
      error: null,
      kind: null,
      orderId: null,
      clickId: { raw: null, value: null, status: 'missing' },
      issues: [],
    });
  });

  it('ignores a test postback with no order id, and still rejects a test whose order id is malformed', () => {
    expect(parsePostback(rawPostback({ rawQuery: 'subid=clk1&commission=1.00&is_test=1' }))).toMatchObject({
      ok: false,
      ignored: 'test_without_order',
      error: null,
    });
    expect(
      parsePostback(rawPostback({ rawQuery: 'subid=clk1&orderid=%7BORDERID%7D&is_test=1' })),
    ).toMatchObject({ ok: false, ignored: undefined, error: { code: 'order_id_placeholder' } });
    expect(parsePostback(rawPostback({ rawQuery: 'subid=clk1&commission=1.00' }))).toMatchObject({
      ok: false,
      error: { code: 'order_id_missing' },
    });
  });

  it('still rejects an unknown action_type, naming it', () => {
    expect(rejected(formPost(ipnBody({ action_type: 'subscription_paused' }))).error.message).toContain(
      '"subscription_paused"',
    );
  });
});

describe('parsePostback: rebills and charge dates', () => {
  it('reads a rebill as its own kind, with the charge time from rr_createdate', () => {
    const postback = parsed(
      formPost(ipnBody({ action_type: 'rebill', rr_createdate: '2026-12-08 16:16:51' })),
    );
    expect(postback).toMatchObject({
      kind: 'rebill',
      orderId: 'BG200017',
      commissionCents: 3555,
      chargedAt: '2026-12-08T16:16:51Z',
      issues: [],
    });
  });

  it.each([['0000-00-00 00:00:00'], [''], ['{RR_CREATEDATE}']])(
    'a rebill dated %p has no charge time and says so',
    (date) => {
      const postback = parsed(formPost(ipnBody({ action_type: 'rebill', rr_createdate: date })));
      expect(postback.chargedAt).toBeNull();
      expect(postback.issues).toEqual(['charge_date_missing']);
    },
  );

  it('an unreadable date is flagged on any kind, a zero date only on a rebill', () => {
    expect(parsed(formPost(ipnBody({ rr_createdate: '2026-13-45 99:00:00' })))).toMatchObject({
      chargedAt: null,
      issues: ['charge_date_invalid'],
    });
    expect(parsed(formPost(ipnBody({ rr_createdate: '0000-00-00 00:00:00' })))).toMatchObject({
      chargedAt: null,
      issues: [],
    });
    expect(parsed(formPost(ipnBody({ rr_createdate: '2026-12-08T16:16:51Z' }))).chargedAt).toBe(
      '2026-12-08T16:16:51Z',
    );
  });

  it('the charge time is not part of the content fingerprint (stable for contents recorded before it was read)', () => {
    const a = parsed(formPost(ipnBody({ rr_createdate: '2026-12-08 16:16:51' })));
    const b = parsed(formPost(ipnBody({ rr_createdate: '2026-12-09 16:16:51' })));
    expect(fingerprintPostback(a)).toBe(fingerprintPostback(b));
  });
});

describe('every issue the parser gives is explained to the affiliate', () => {
  it.each([
    ['total_negative', { total_clean: '-69.00' }],
    ['total_unparseable', { total_clean: 'sixty-nine' }],
    ['charge_date_missing', { action_type: 'rebill', rr_createdate: '0000-00-00 00:00:00' }],
    ['charge_date_invalid', { action_type: 'rebill', rr_createdate: '2026-13-45 10:00:00' }],
  ])('%s', (code, overrides) => {
    const postback = parsed(formPost(ipnBody(overrides)));
    expect(postback.issues).toContain(code);
    expect(explainIssue(code)).toBe(ISSUE_EXPLANATIONS[code]);
  });
});
