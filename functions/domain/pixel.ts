/**
 * Tracking pixels: a page-view and a conversion pixel per Buygoods merchant, with ids derived from the
 * merchant so creating them again can never duplicate them, and the HTML snippet to paste.
 */
import { createHash } from 'node:crypto';

export const PIXEL_EVENTS = ['pageview', 'conversion'] as const;
export type PixelEvent = (typeof PIXEL_EVENTS)[number];

export interface Pixel {
  readonly pixelId: string;
  readonly accountId: string;
  readonly merchantId: string;
  readonly event: PixelEvent;
  readonly createdAt: string;
  readonly hits: number;
  readonly lastHitAt: string | null;
}

export function pixelIdFor(accountId: string, merchantId: string, event: PixelEvent): string {
  return `px_${createHash('sha256').update(`${accountId}\n${merchantId}\n${event}`).digest('hex').slice(0, 24)}`;
}

/** 1x1 transparent GIF. */
export const TRANSPARENT_GIF = Buffer.from(
  'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7',
  'base64',
);

/**
 * The snippet reads the click id the click redirect put on the landing URL (`subid`), and on the
 * conversion pixel the order id the page is given, then loads the pixel; <noscript> still counts the hit.
 */
export function pixelSnippet(baseUrl: string, pixel: Pick<Pixel, 'pixelId' | 'event'>): string {
  const src = `${baseUrl.replace(/\/+$/, '')}/v1/pixel/${pixel.pixelId}?event=${pixel.event}`;
  const orderPart =
    pixel.event === 'conversion'
      ? "+'&order_id='+encodeURIComponent(q.get('order_id')||q.get('orderid')||'')"
      : '';
  return [
    `<!-- Buygoods ${pixel.event} pixel -->`,
    `<script>(function(){var q=new URLSearchParams(location.search);var i=new Image(1,1);`,
    `i.src='${src}&click_id='+encodeURIComponent(q.get('subid')||q.get('click_id')||'')${orderPart}+'&r='+Date.now();})();</script>`,
    `<noscript><img src="${src}" width="1" height="1" alt="" style="display:none"></noscript>`,
  ].join('\n');
}
