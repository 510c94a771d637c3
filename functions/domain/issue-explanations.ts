/**
 * What each postback issue and rejection code means for the affiliate, in plain words: what happened to
 * the sale and what to fix. Pure data, shown by the console next to the codes the API returns.
 */

export const ISSUE_EXPLANATIONS: Readonly<Record<string, string>> = {
  click_id_placeholder:
    "The click id was the unfilled placeholder {SUBID}: the conversion is recorded but cannot be attributed to a link. Put your tracking link's subid on the Buygoods offer link so Buygoods can fill it in.",
  click_id_missing:
    'No click id came with the postback: the conversion is recorded but cannot be attributed to a link. Check that the URL in Buygoods has subid={SUBID}.',
  click_id_malformed:
    'The click id has characters a click id never has (only letters, digits and . _ ~ : | - are allowed): the conversion is recorded with the raw value kept, but not attributed.',
  click_id_too_long:
    'The click id is longer than 255 characters: the conversion is recorded with the raw value kept, but not attributed.',
  amount_placeholder:
    'The commission was the unfilled placeholder {COMMISSION_AMOUNT}: the conversion is recorded with no amount. Check the commission parameter of the URL in Buygoods.',
  amount_unparseable:
    'The commission could not be read as an amount: the conversion is recorded with no amount.',
  amount_missing:
    'No commission came with the postback: the conversion is recorded with no amount. Add commission={COMMISSION_AMOUNT} to the URL in Buygoods.',
  amount_negative:
    'The commission was negative on a sale: it is recorded as sent; check the sale in Buygoods.',
  total_placeholder:
    'The sale total was an unfilled placeholder: the conversion is recorded without its total (the commission is unaffected).',
  total_unparseable:
    'The sale total could not be read as an amount: the conversion is recorded without its total (the commission is unaffected).',
  total_negative:
    'The sale total was negative on a sale: it is recorded as its absolute value; check the sale in Buygoods.',
  charge_date_invalid:
    'The charge date (rr_createdate) is not a real date in YYYY-MM-DD HH:MM:SS: it was left out (a rebill without it is told apart by its content).',
  charge_date_missing:
    'A rebill came without its charge date (rr_createdate, or only zeros): it is recorded and told apart by its content, so two charges alike in every field count once. Add rr_createdate to the URL in Buygoods.',
  currency_invalid: 'The currency is not a three-letter ISO code: it was left out.',
  email_invalid: 'The customer email does not look like an email address: it was left out.',
  email_hash_invalid: 'The email hash is not 64 hexadecimal characters (SHA-256): it was left out.',
  product_codename_invalid:
    'The product codename has characters a codename never has: the conversion is recorded without a product.',
  upsell_parent_invalid:
    'The upsell parent is not a valid order id: the upsell is recorded without its parent order.',
  order_id_global_invalid: 'The global order id is not a valid order id: it was left out.',
  json_value_ignored:
    'A JSON body field held an object or a list instead of a value: that field was ignored.',
  order_id_missing:
    'No order id came with the postback: nothing was recorded. Add orderid={ORDERID} to the URL in Buygoods, then replay this postback.',
  order_id_placeholder:
    'The order id was the unfilled placeholder {ORDERID}: nothing was recorded. Check the orderid parameter of the URL in Buygoods.',
  order_id_invalid: "The order id is not 1-64 letters, digits, '_' or '-': nothing was recorded.",
  parameter_conflict:
    'The same field came twice with different values (in the query and the body, or under two names): nothing was recorded, since either value could be wrong.',
  malformed_json: 'The body is not valid JSON: nothing was recorded.',
  unsupported_event: 'The event type is not one this service records: nothing was recorded.',
  parse_failed: 'The postback could not be read: nothing was recorded.',
  payload_too_large: 'The body is larger than 64 KiB: nothing was recorded.',
  uri_too_long: 'The URL is longer than 8 KiB: nothing was recorded.',
};

/** The explanation of a code, or a sentence that says the code is not described yet (never nothing). */
export function explainIssue(code: string): string {
  return (
    ISSUE_EXPLANATIONS[code] ??
    `Code ${code}: no description yet; the stored request below shows what arrived.`
  );
}
