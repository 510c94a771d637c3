/**
 * Traffic the link report counts: clicks on a tracking link (the click redirect) and tracking pixel hits.
 */
import type { PixelEvent } from './pixel';

export interface Click {
  readonly clickId: string;
  readonly accountId: string;
  readonly linkId: string;
  readonly campaign: string | null;
  readonly at: string;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
}

export interface PixelHit {
  readonly hitId: string;
  readonly accountId: string;
  readonly pixelId: string;
  readonly merchantId: string;
  readonly event: PixelEvent;
  readonly clickId: string | null;
  readonly orderId: string | null;
  readonly at: string;
}
