/** A conversion as the API shows it: without the bookkeeping that makes recording idempotent. */
import type { ConversionRecord } from './conversion';

export function toConversionView(record: ConversionRecord) {
  const { fingerprints: _fingerprints, appliedPostbackIds: _applied, slot: _slot, accountId: _account, ...view } = record;
  return view;
}
