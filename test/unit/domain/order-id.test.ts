import { orderIdRejection, readOrderId } from '../../../functions/domain/order-id';

describe('readOrderId', () => {
  it.each([
    ['a numeric id', '123456', '123456'],
    ['letters, digits, underscores and dashes', 'AB_12-cd', 'AB_12-cd'],
    ['exactly 64 characters', 'x'.repeat(64), 'x'.repeat(64)],
    ['surrounding spaces, trimmed', ' 98765 ', '98765'],
  ])('accepts %s', (_label, raw, value) => {
    expect(readOrderId(raw)).toEqual({ value, issues: [] });
    expect(orderIdRejection(readOrderId(raw))).toBeNull();
  });

  it.each([
    ['absent', null, 'order_id_missing'],
    ['empty', '', 'order_id_missing'],
    ['blank', '   ', 'order_id_missing'],
    ['the unfilled {ORDERID} token', '{ORDERID}', 'order_id_placeholder'],
    ['the word null', 'null', 'order_id_placeholder'],
    ['a double-encoded token', '%7BORDERID%7D', 'order_id_placeholder'],
    ['65 characters long', 'x'.repeat(65), 'order_id_invalid'],
    ['containing a dot', '123.45', 'order_id_invalid'],
    ['containing a space', '12 34', 'order_id_invalid'],
    ['containing a quote and a newline', '1"\n2', 'order_id_invalid'],
  ])('rejects an order id that is %s with %s', (_label, raw, code) => {
    const reading = readOrderId(raw);
    expect(reading).toEqual({ value: null, issues: [code] });
    expect(orderIdRejection(reading)?.code).toBe(code);
  });

  it.each([
    [null, 'order_id_missing', 'The order id is missing'],
    ['{ORDERID}', 'order_id_placeholder', 'The order id is an unfilled placeholder'],
    ['12.5', 'order_id_invalid', "The order id must be 1-64 characters of letters, digits, '_' or '-'"],
  ])('rejects the order id %p as %s with the message a 400 answers with', (raw, code, message) => {
    expect(orderIdRejection(readOrderId(raw))).toEqual({ code, message });
  });

  it('never echoes the rejected value in its message', () => {
    const reading = readOrderId('evil<script>\r\nvalue');
    expect(reading.value).toBeNull();
    const rejection = orderIdRejection(reading);
    expect(rejection).not.toBeNull();
    expect(rejection?.message).not.toContain('evil');
    expect(rejection?.message).not.toMatch(/[\r\n]/);
  });
});
