import type { Click, PixelHit } from '../domain/traffic';
import type { TimeRange } from './page';

/** Clicks and pixel hits: the traffic the link report counts. */
export interface TrafficRepository {
  putClick(click: Click): Promise<void>;
  /** `consistent`: a strongly consistent read (a click written a moment ago is seen). */
  getClicks(
    clickIds: readonly string[],
    options?: { readonly consistent?: boolean },
  ): Promise<Map<string, Click>>;
  recordPixelHit(hit: PixelHit): Promise<void>;
  listTraffic(accountId: string, range: TimeRange): Promise<{ clicks: Click[]; hits: PixelHit[] }>;
}
