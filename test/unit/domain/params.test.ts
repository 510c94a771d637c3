import { decodeComponent, describeKey, readParameters } from '../../../functions/domain/params';
import { formPost, jsonPost, rawPostback } from '../../support/raw-postback';

function paramsOf(reading: ReturnType<typeof readParameters>): Record<string, string> {
  return Object.fromEntries(reading.params);
}

describe('readParameters: sources', () => {
  it('reads the query string, with keys lower-cased and values decoded', () => {
    const reading = readParameters(
      rawPostback({ rawQuery: 'SubID=abc%2D1&OrderID=123&product=My+Product&empty=&flag' }),
    );
    expect(reading.error).toBeNull();
    expect(paramsOf(reading)).toEqual({
      subid: 'abc-1',
      orderid: '123',
      product: 'My Product',
      empty: '',
      flag: '',
    });
  });

  it('tolerates a leading question mark on the query', () => {
    expect(readParameters(rawPostback({ rawQuery: '?orderid=1' })).fields.orderId).toBe('1');
  });

  it('merges the query with a form body', () => {
    const reading = readParameters(formPost('orderid=123&commission=47.90', { rawQuery: 'subid=clk1' }));
    expect(reading.error).toBeNull();
    expect(paramsOf(reading)).toEqual({ subid: 'clk1', orderid: '123', commission: '47.90' });
  });

  it.each([
    ['application/x-www-form-urlencoded'],
    ['application/x-www-form-urlencoded; charset=UTF-8'],
    ['Application/X-WWW-Form-Urlencoded;charset=utf-8'],
  ])('form-decodes a body sent as %p', (contentType) => {
    const reading = readParameters(formPost('orderid=123&customer_name=Jane+Doe', { contentType }));
    expect(paramsOf(reading)).toEqual({ orderid: '123', customer_name: 'Jane Doe' });
  });

  it.each([
    ['application/json'],
    ['application/json; charset=utf-8'],
    ['APPLICATION/JSON;charset=UTF-8'],
    ['application/vnd.buygoods+json'],
  ])('reads a JSON body sent as %p', (contentType) => {
    const reading = readParameters(jsonPost({ OrderId: '123', subid: 'clk1' }, { contentType }));
    expect(reading.error).toBeNull();
    expect(paramsOf(reading)).toEqual({ orderid: '123', subid: 'clk1' });
  });

  it('turns JSON numbers and booleans into strings and skips nulls', () => {
    const reading = readParameters(jsonPost({ orderid: 123, commission: 47.9, is_test: true, subid: null }));
    expect(paramsOf(reading)).toEqual({ orderid: '123', commission: '47.9', is_test: 'true' });
    expect(reading.issues).toEqual([]);
  });

  it('ignores nested JSON objects and arrays with an issue', () => {
    const reading = readParameters(jsonPost({ orderid: '123', customer: { name: 'x' }, tags: ['a'] }));
    expect(reading.error).toBeNull();
    expect(paramsOf(reading)).toEqual({ orderid: '123' });
    expect(reading.issues).toEqual(['json_value_ignored', 'json_value_ignored']);
  });

  it('accepts a JSON body that starts with a byte-order mark', () => {
    const reading = readParameters(
      rawPostback({ method: 'POST', body: '\uFEFF{"orderid":"123"}', contentType: 'application/json' }),
    );
    expect(reading.error).toBeNull();
    expect(paramsOf(reading)).toEqual({ orderid: '123' });
  });

  it.each([
    ['no content type', null],
    ['text/plain', 'text/plain'],
  ])('sniffs a body starting with { as JSON when it has %s', (_label, contentType) => {
    const reading = readParameters(rawPostback({ method: 'POST', body: '  {"orderid":"123"}', contentType }));
    expect(paramsOf(reading)).toEqual({ orderid: '123' });
  });

  it.each([
    ['no content type', null],
    ['text/plain', 'text/plain'],
  ])('form-decodes any other body when it has %s', (_label, contentType) => {
    const reading = readParameters(
      rawPostback({ method: 'POST', body: 'orderid=123&subid=a+b', contentType }),
    );
    expect(paramsOf(reading)).toEqual({ orderid: '123', subid: 'a b' });
  });

  it.each([['application/json'], ['application/json; charset=utf-8'], [null]])(
    'rejects malformed JSON sent as %p, keeping what the query gave',
    (contentType) => {
      const reading = readParameters(
        rawPostback({ method: 'POST', rawQuery: 'orderid=123', body: '{"subid": "abc",', contentType }),
      );
      expect(reading.error?.code).toBe('malformed_json');
      expect(reading.fields.orderId).toBe('123');
    },
  );

  it.each([['[1,2]'], ['"text"'], ['42'], ['null'], ['orderid=123']])(
    'rejects the JSON body %p as not a JSON object',
    (body) => {
      const reading = readParameters(rawPostback({ method: 'POST', body, contentType: 'application/json' }));
      expect(reading.error?.code).toBe('malformed_json');
    },
  );

  it.each([[''], ['   '], [null]])(
    'reads no parameters from the empty body %p, whatever its content type',
    (body) => {
      const reading = readParameters(
        rawPostback({ method: 'POST', rawQuery: 'orderid=1', body, contentType: 'application/json' }),
      );
      expect(reading.error).toBeNull();
      expect(paramsOf(reading)).toEqual({ orderid: '1' });
    },
  );
});

describe('readParameters: decoding', () => {
  it.each([
    ['a plus sign as a space', 'a+b', 'a b'],
    ['an encoded plus sign', 'a%2Bb', 'a+b'],
    ['UTF-8 escapes', '%C3%A9t%C3%A9', 'été'],
    ['encoded braces into a visible token', '%7BSUBID%7D', '{SUBID}'],
    ['a bad escape kept as received', '100%', '100%'],
    ['a non-hex escape kept as received', '%ZZabc', '%ZZabc'],
    ['an invalid UTF-8 escape kept as received', '%E2%28%A1', '%E2(%A1'],
    ['a lone surrogate escape kept as received', '%ED%A0%80', '%ED%A0%80'],
    ['the good characters around a bad byte', '%C3%A9%FF%C3%A9', 'é%FFé'],
    ['a truncated multi-byte character kept as received', 'a%E2%82', 'a%E2%82'],
  ])('decodes %s', (_label, encoded, decoded) => {
    expect(decodeComponent(encoded)).toBe(decoded);
  });

  it('never throws on a query full of bad escapes', () => {
    const reading = readParameters(rawPostback({ rawQuery: 'orderid=%E0%A4%A&subid=%%%&%=%' }));
    expect(reading.params.get('orderid')).toBe('%E0%A4%A');
    expect(reading.params.get('subid')).toBe('%%%');
  });
});

describe('readParameters: repeated keys', () => {
  it.each([
    ['twice in the query', 'orderid=123&orderid=123', null],
    ['in the query and the body', 'orderid=123', 'orderid=123'],
    ['twice in the body', '', 'orderid=123&orderid=123'],
    ['in different cases', 'OrderId=123&ORDERID=123', null],
    ['with stray spaces around the value', 'orderid=123&orderid=123+', null],
  ])('accepts a key given %s with equal values', (_label, rawQuery, body) => {
    const reading = readParameters(body === null ? rawPostback({ rawQuery }) : formPost(body, { rawQuery }));
    expect(reading.error).toBeNull();
    expect(reading.fields.orderId?.trim()).toBe('123');
  });

  it.each([
    ['twice in the query', 'subid=a&subid=b', null],
    ['in the query and the form body', 'subid=a', 'subid=b'],
    ['twice in the body', '', 'subid=a&subid=b'],
    ['in different cases', 'SUBID=a&subid=b', null],
    ['once filled and once empty', 'subid=a&subid=', null],
  ])(
    'reports a key given %s with different values as a conflict naming the key',
    (_label, rawQuery, body) => {
      const reading = readParameters(
        body === null ? rawPostback({ rawQuery }) : formPost(body, { rawQuery }),
      );
      expect(reading.error).toEqual({
        code: 'parameter_conflict',
        message: expect.stringContaining('"subid"'),
      });
      expect(reading.fields.clickId).toBeNull();
    },
  );

  it('reports a conflict between the query and a JSON body', () => {
    const reading = readParameters(jsonPost({ orderid: '124' }, { rawQuery: 'orderid=123' }));
    expect(reading.error?.code).toBe('parameter_conflict');
    expect(reading.fields.orderId).toBeNull();
  });

  it('never puts the conflicting values in the message', () => {
    const reading = readParameters(rawPostback({ rawQuery: 'subid=secret-one&subid=secret-two' }));
    expect(reading.error?.message).not.toMatch(/secret/);
  });

  it('escapes a hostile key in the conflict message', () => {
    const reading = readParameters(rawPostback({ rawQuery: 'a%0D%0A%22b=1&a%0D%0A%22b=2' }));
    expect(reading.error?.code).toBe('parameter_conflict');
    expect(reading.error?.message).not.toMatch(/[\r\n]/);
    expect(reading.error?.message).toContain('"a???b"');
  });

  it('keeps reading the other parameters after a conflict', () => {
    const reading = readParameters(rawPostback({ rawQuery: 'subid=a&subid=b&orderid=123' }));
    expect(reading.fields.orderId).toBe('123');
  });
});

describe('readParameters: aliases', () => {
  it.each([
    ['clickId', 'subid'],
    ['clickId', 'cid'],
    ['clickId', 'clickid'],
    ['clickId', 'click_id'],
    ['orderId', 'orderid'],
    ['orderId', 'order_id'],
    ['orderId', 'txid'],
    ['orderId', 'transaction_id'],
    ['commission', 'commission'],
    ['commission', 'commission_amount'],
    ['commission', 'payout'],
    ['commission', 'amount'],
    ['commission', 'aff_commission'],
    ['product', 'product'],
    ['product', 'product_codename'],
    ['event', 'event'],
    ['event', 'type'],
    ['actionType', 'action_type'],
    ['customerEmail', 'customer_emailaddress'],
    ['customerEmail', 'email'],
    ['isTest', 'is_test'],
    ['isTest', 'test'],
  ] as const)('reads %s from %s, in any case', (field, key) => {
    const reading = readParameters(rawPostback({ rawQuery: `${key.toUpperCase()}=value1` }));
    expect(reading.error).toBeNull();
    expect(reading.fields[field]).toBe('value1');
  });

  it('accepts two aliases that carry the same value', () => {
    const reading = readParameters(rawPostback({ rawQuery: 'subid=clk1&cid=clk1' }));
    expect(reading.error).toBeNull();
    expect(reading.fields.clickId).toBe('clk1');
  });

  it('reports two aliases with different real values as a conflict naming both', () => {
    const reading = readParameters(rawPostback({ rawQuery: 'orderid=1&txid=2' }));
    expect(reading.error?.code).toBe('parameter_conflict');
    expect(reading.error?.message).toContain('"orderid"');
    expect(reading.error?.message).toContain('"txid"');
    expect(reading.fields.orderId).toBeNull();
  });

  it.each([
    ['subid={SUBID}&clickid=clk1'],
    ['clickid=clk1&subid={SUBID}'],
    ['subid=&cid=clk1'],
    ['subid=null&click_id=clk1'],
  ])('lets a real value win over a placeholder alias in %p', (rawQuery) => {
    const reading = readParameters(rawPostback({ rawQuery }));
    expect(reading.error).toBeNull();
    expect(reading.fields.clickId).toBe('clk1');
  });

  it('keeps the first placeholder when no alias has a real value', () => {
    const reading = readParameters(rawPostback({ rawQuery: 'cid=&subid={SUBID}' }));
    expect(reading.fields.clickId).toBe('{SUBID}');
  });

  it('gives null for a field none of whose aliases is present', () => {
    expect(readParameters(rawPostback({ rawQuery: 'orderid=1' })).fields.commission).toBeNull();
  });
});

describe('describeKey', () => {
  it('quotes a plain key as it is', () => {
    expect(describeKey('order_id')).toBe('"order_id"');
  });

  it('replaces quotes, backslashes and non-printable characters, and shortens long keys', () => {
    expect(describeKey('a"b\\c\u0000é')).toBe('"a?b?c??"');
    expect(describeKey('k'.repeat(100))).toBe(`"${'k'.repeat(64)}..."`);
  });
});
