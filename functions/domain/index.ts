/**
 * The pure postback domain in one import: placeholders, click ids, order ids, amounts, emails,
 * parameters, classification and the parser built from them.
 */
export { isPlaceholder, readValue } from './placeholders';
export { judgeClickId, isValidClickId, CLICK_ID_PATTERN, MAX_CLICK_ID_LENGTH } from './click-id';
export { validateOrderId, ORDER_ID_PATTERN, type OrderIdResult } from './order-id';
export { parseAmountCents, type AmountReading } from './amount';
export { normaliseEmail, normaliseEmailHash, hashEmail, readEmail, type EmailReading } from './email';
export { readParameters, resolveAliases, parseFormEncoded, decodeComponent, describeKey, FIELD_ALIASES } from './params';
export type { ParameterMap, ParameterReading, PostbackFields, Field } from './params';
export { resolveKind, isTruthyFlag, type KindSignals, type KindResult } from './classify';
export { parsePostback, fingerprintPostback, conversionFields, type ConversionContent } from './parse-postback';
export * from './postback';
