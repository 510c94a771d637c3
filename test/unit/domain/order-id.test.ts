import { validateOrderId } from '../../../functions/domain/order-id';

describe('validateOrderId', () => {
  it.each([
    ['a numeric id', '123456', '123456'],
    ['letters, digits, underscores and dashes', 'AB_12-cd', 'AB_12-cd'],
    ['exactly 64 characters', 'x'.repeat(64), 'x'.repeat(64)],
    ['surrounding spaces, trimmed', ' 98765 ', '98765'],
  ])('accepts %s', (_label, raw, value) => {
    expect(validateOrderId(raw)).toEqual({ ok: true, value });
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
    const result = validateOrderId(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('never echoes the rejected value in its message', () => {
    const result = validateOrderId('evil<script>\r\nvalue');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).not.toContain('evil');
      expect(result.error.message).not.toMatch(/[\r\n]/);
    }
  });
});
